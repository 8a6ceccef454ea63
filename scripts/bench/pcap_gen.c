/*
 * pcap_gen: writes a pcap file of N 64-byte Ethernet/IPv4/UDP frames for the attribution benchmark.
 *
 *   pcap_gen OUT.pcap N [SEED]
 *
 * Source and destination addresses spread over 1,000 /24 prefixes, 10.(i/256).(i%256).0/24 for
 * i in 0..<1000 (the benchmark's agency prefixes), and about 5 % of the frames have both addresses
 * outside every one of them (192.0.2.0/24 and 198.51.100.0/24), to be counted as unattributed.
 * These are data in a file: nothing is ever sent anywhere.
 *
 * Written through libpcap (pcap_open_dead + pcap_dump), never by hand.
 * Build: cc -O2 -o pcap_gen pcap_gen.c -lpcap
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAME 64
#define PREFIXES 1000

static uint32_t next_random(uint64_t *state) {
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*state >> 33);
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static uint16_t ipv4_checksum(const uint8_t *header) {
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2) sum += (uint32_t)(header[i] << 8 | header[i + 1]);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* An address inside prefix `index` (0..<1000), host part 1..254. */
static void inside(uint8_t *address, uint32_t index, uint32_t host) {
    address[0] = 10;
    address[1] = (uint8_t)(index / 256);
    address[2] = (uint8_t)(index % 256);
    address[3] = (uint8_t)(1 + host % 254);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s OUT.pcap N [SEED]\n", argv[0]);
        return 2;
    }
    char *end = NULL;
    long long count = strtoll(argv[2], &end, 10);
    if (*argv[2] == '\0' || *end != '\0' || count < 0) {
        fprintf(stderr, "%s: N must be a whole number of frames, not \"%s\"\n", argv[0], argv[2]);
        return 2;
    }
    uint64_t state = argc > 3 ? strtoull(argv[3], NULL, 10) : 20260101;

    pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
    if (dead == NULL) {
        fprintf(stderr, "%s: pcap_open_dead failed\n", argv[0]);
        return 1;
    }
    pcap_dumper_t *dumper = pcap_dump_open(dead, argv[1]);
    if (dumper == NULL) {
        fprintf(stderr, "%s: %s\n", argv[0], pcap_geterr(dead));
        pcap_close(dead);
        return 1;
    }

    uint8_t frame[FRAME];
    long long outside = 0;
    for (long long n = 0; n < count; n++) {
        memset(frame, 0, sizeof frame);
        /* Ethernet: locally administered MACs, type IPv4. */
        static const uint8_t dst_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
        static const uint8_t src_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
        memcpy(frame, dst_mac, 6);
        memcpy(frame + 6, src_mac, 6);
        put16(frame + 12, 0x0800);

        uint8_t *ip = frame + 14;
        ip[0] = 0x45;
        put16(ip + 2, FRAME - 14);
        put16(ip + 4, (uint16_t)n);
        ip[8] = 64;
        ip[9] = 17; /* UDP */
        uint32_t r = next_random(&state);
        if (r % 100 < 5) {
            /* Outside every prefix: documentation ranges (RFC 5737). */
            uint8_t src[4] = {192, 0, 2, (uint8_t)(1 + r % 254)};
            uint8_t dst[4] = {198, 51, 100, (uint8_t)(1 + (r >> 8) % 254)};
            memcpy(ip + 12, src, 4);
            memcpy(ip + 16, dst, 4);
            outside++;
        } else {
            inside(ip + 12, next_random(&state) % PREFIXES, r >> 8);
            inside(ip + 16, next_random(&state) % PREFIXES, r >> 16);
        }
        put16(ip + 10, ipv4_checksum(ip));

        uint8_t *udp = ip + 20;
        put16(udp, (uint16_t)(1024 + r % 60000));
        put16(udp + 2, (uint16_t)(r & 1 ? 53 : 443));
        put16(udp + 4, FRAME - 14 - 20);
        /* UDP checksum 0: none, which IPv4 allows. */

        struct pcap_pkthdr header;
        header.ts.tv_sec = 1767225600 + (time_t)(n / 1000000);
        header.ts.tv_usec = (suseconds_t)(n % 1000000);
        header.caplen = FRAME;
        header.len = FRAME;
        pcap_dump((u_char *)dumper, &header, frame);
    }
    if (pcap_dump_flush(dumper) != 0) {
        fprintf(stderr, "%s: could not write %s\n", argv[0], argv[1]);
        pcap_dump_close(dumper);
        pcap_close(dead);
        return 1;
    }
    pcap_dump_close(dumper);
    pcap_close(dead);
    printf("frames=%lld outside=%lld file=%s\n", count, outside, argv[1]);
    return 0;
}
