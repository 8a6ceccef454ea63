#ifndef SIMPUL_CPCAP_SHIM_H
#define SIMPUL_CPCAP_SHIM_H
// libpcap's header pulls in <sys/select.h>; include the system headers first, once, here (STYLE.md on fd_set).
#include <sys/types.h>
#include <sys/select.h>
#include <sys/time.h>
#include <stdio.h>
#include <pcap/pcap.h>

// libpcap's return codes, as named constants (Swift drops some of its macros, and these say which).
static const int simpul_pcap_error = PCAP_ERROR;
static const int simpul_pcap_error_break = PCAP_ERROR_BREAK;
static const int simpul_pcap_error_not_activated = PCAP_ERROR_NOT_ACTIVATED;
static const int simpul_pcap_error_activated = PCAP_ERROR_ACTIVATED;
static const int simpul_pcap_error_no_such_device = PCAP_ERROR_NO_SUCH_DEVICE;
static const int simpul_pcap_error_rfmon_notsup = PCAP_ERROR_RFMON_NOTSUP;
static const int simpul_pcap_error_not_rfmon = PCAP_ERROR_NOT_RFMON;
static const int simpul_pcap_error_perm_denied = PCAP_ERROR_PERM_DENIED;
static const int simpul_pcap_error_iface_not_up = PCAP_ERROR_IFACE_NOT_UP;
static const int simpul_pcap_error_cantset_tstamp_type = PCAP_ERROR_CANTSET_TSTAMP_TYPE;
static const int simpul_pcap_error_promisc_perm_denied = PCAP_ERROR_PROMISC_PERM_DENIED;
static const int simpul_pcap_error_tstamp_precision_notsup = PCAP_ERROR_TSTAMP_PRECISION_NOTSUP;
#ifdef PCAP_ERROR_CAPTURE_NOTSUP
static const int simpul_pcap_error_capture_notsup = PCAP_ERROR_CAPTURE_NOTSUP;
#else
static const int simpul_pcap_error_capture_notsup = -13;
#endif

// What pcap_activate returns above zero: it worked, with a caveat.
static const int simpul_pcap_warning = PCAP_WARNING;
static const int simpul_pcap_warning_promisc_notsup = PCAP_WARNING_PROMISC_NOTSUP;
static const int simpul_pcap_warning_tstamp_type_notsup = PCAP_WARNING_TSTAMP_TYPE_NOTSUP;

static const int simpul_pcap_tstamp_precision_micro = PCAP_TSTAMP_PRECISION_MICRO;
static const int simpul_pcap_tstamp_precision_nano = PCAP_TSTAMP_PRECISION_NANO;
static const bpf_u_int32 simpul_pcap_netmask_unknown = PCAP_NETMASK_UNKNOWN;
static const int simpul_pcap_errbuf_size = PCAP_ERRBUF_SIZE;

// Link-layer types as pcap_datalink reports them (DLT_, not the file's LINKTYPE_: DLT_RAW differs by platform).
static const int simpul_dlt_null = DLT_NULL;
static const int simpul_dlt_en10mb = DLT_EN10MB;
static const int simpul_dlt_raw = DLT_RAW;
static const int simpul_dlt_loop = DLT_LOOP;
static const int simpul_dlt_linux_sll = DLT_LINUX_SLL;
#ifdef DLT_LINUX_SLL2
static const int simpul_dlt_linux_sll2 = DLT_LINUX_SLL2;
#else
static const int simpul_dlt_linux_sll2 = 276;
#endif
#ifdef DLT_IPV4
static const int simpul_dlt_ipv4 = DLT_IPV4;
#else
static const int simpul_dlt_ipv4 = 228;
#endif
#ifdef DLT_IPV6
static const int simpul_dlt_ipv6 = DLT_IPV6;
#else
static const int simpul_dlt_ipv6 = 229;
#endif

// The byte offset into a savefile, for a progress bar; -1 when the handle has no FILE (a live capture).
static inline long simpul_pcap_file_offset(pcap_t *p) {
    FILE *f = pcap_file(p);
    return f ? ftell(f) : -1;
}
#endif
