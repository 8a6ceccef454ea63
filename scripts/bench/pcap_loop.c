/*
 * pcap_loop: the baseline of the attribution benchmark, a plain C loop that only calls pcap_next_ex
 * over a capture file, K times over, and prints its packet rate.
 *
 *   pcap_loop FILE [K]      ->  packets=<n> seconds=<s> pps=<rate>
 *
 * The file is opened with nanosecond timestamps, as Simpul's reader opens it, so both pay the same.
 * Build: cc -O2 -o pcap_loop pcap_loop.c -lpcap
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [K]\n", argv[0]);
        return 2;
    }
    long repeat = argc > 2 ? strtol(argv[2], NULL, 10) : 1;
    if (repeat < 1) {
        fprintf(stderr, "%s: K must be at least 1\n", argv[0]);
        return 2;
    }
    char errbuf[PCAP_ERRBUF_SIZE];
    unsigned long long packets = 0;
    double start = now();
    for (long k = 0; k < repeat; k++) {
        pcap_t *p = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, errbuf);
        if (p == NULL) {
            fprintf(stderr, "%s: %s\n", argv[0], errbuf);
            return 1;
        }
        struct pcap_pkthdr *header;
        const u_char *data;
        int status;
        while ((status = pcap_next_ex(p, &header, &data)) == 1) packets++;
        if (status == PCAP_ERROR) {
            fprintf(stderr, "%s: %s after %llu packets\n", argv[0], pcap_geterr(p), packets);
            pcap_close(p);
            return 1;
        }
        pcap_close(p);
    }
    double seconds = now() - start;
    printf("packets=%llu seconds=%.3f pps=%.0f\n", packets, seconds, seconds > 0 ? (double)packets / seconds : 0.0);
    return 0;
}
