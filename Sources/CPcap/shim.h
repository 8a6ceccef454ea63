#ifndef SIMPUL_CPCAP_SHIM_H
#define SIMPUL_CPCAP_SHIM_H
#include <sys/types.h>
#include <sys/select.h>
#include <sys/time.h>
#include <pcap/pcap.h>

static const int simpul_pcap_error = PCAP_ERROR;
static const int simpul_pcap_error_break = PCAP_ERROR_BREAK;
#endif
