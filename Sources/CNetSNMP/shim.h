#ifndef SIMPUL_CNETSNMP_SHIM_H
#define SIMPUL_CNETSNMP_SHIM_H
// net-snmp's config header defines _GNU_SOURCE and relies on fd_set being declared:
// include the system headers first, once, here.
#include <sys/types.h>
#include <sys/select.h>
#include <sys/time.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

// Macros Swift cannot import, as named constants.
static const int simpul_snmp_msg_get = SNMP_MSG_GET;
static const int simpul_snmp_msg_getnext = SNMP_MSG_GETNEXT;
static const int simpul_snmp_msg_getbulk = SNMP_MSG_GETBULK;
static const int simpul_snmp_nosuchobject = SNMP_NOSUCHOBJECT;
static const int simpul_snmp_nosuchinstance = SNMP_NOSUCHINSTANCE;
static const int simpul_snmp_endofmibview = SNMP_ENDOFMIBVIEW;
static const long simpul_snmp_version_2c = SNMP_VERSION_2c;
static const long simpul_snmp_version_3 = SNMP_VERSION_3;
#endif
