/*
 * pkt_send: the live-capture benchmark's traffic: 64-byte Ethernet/IPv4/UDP frames sent on a packet
 * socket at a steady rate, for scripts/bench_survey.sh, which runs it inside a network namespace of
 * its own on one end of a veth pair (never on a real interface: the frames' addresses are the
 * benchmark's 10.x prefixes and go nowhere but the veth's other end).
 *
 *   pkt_send IFACE PPS SECONDS   ->  sent=<n> seconds=<s> pps=<rate>
 *
 * Sends in batches of 64 with sendmmsg, pacing each batch against CLOCK_MONOTONIC.
 * Build: cc -O2 -o pkt_send pkt_send.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define FRAME 60 /* 64 on the wire with the FCS */

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s IFACE PPS SECONDS\n", argv[0]);
        return 2;
    }
    long pps = strtol(argv[2], NULL, 10), seconds = strtol(argv[3], NULL, 10);
    if (pps < 1 || pps > 10000000 || seconds < 1 || seconds > 3600) {
        fprintf(stderr, "%s: PPS must be 1-10000000 and SECONDS 1-3600\n", argv[0]);
        return 2;
    }
    int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0) { perror("socket(AF_PACKET)"); return 1; }
    struct sockaddr_ll to = {0};
    to.sll_family = AF_PACKET;
    to.sll_ifindex = (int)if_nametoindex(argv[1]);
    to.sll_halen = ETH_ALEN;
    if (to.sll_ifindex == 0) { perror(argv[1]); return 1; }
    static unsigned char frames[BATCH][FRAME];
    struct mmsghdr messages[BATCH];
    struct iovec vectors[BATCH];
    memset(messages, 0, sizeof messages);
    for (int i = 0; i < BATCH; i++) {
        unsigned char *f = frames[i];
        memset(f, 0, FRAME);
        memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
        unsigned char *ip = f + 14;
        ip[0] = 0x45; ip[3] = 46; ip[8] = 64; ip[9] = 17;
        unsigned agency = (unsigned)(i * 997) % 1000;
        ip[12] = 10; ip[13] = (unsigned char)(agency / 256); ip[14] = (unsigned char)(agency % 256); ip[15] = (unsigned char)(1 + i);
        ip[16] = 198; ip[17] = 51; ip[18] = 100; ip[19] = (unsigned char)(1 + i);
        unsigned char *udp = ip + 20;
        udp[0] = 0x30; udp[1] = 0x39; udp[2] = 0x01; udp[3] = 0xBB; udp[5] = 26;
        vectors[i].iov_base = f;
        vectors[i].iov_len = FRAME;
        messages[i].msg_hdr.msg_iov = &vectors[i];
        messages[i].msg_hdr.msg_iovlen = 1;
        messages[i].msg_hdr.msg_name = &to;
        messages[i].msg_hdr.msg_namelen = sizeof to;
    }
    long total = pps * seconds, sent = 0;
    double start = now();
    while (sent < total) {
        double due = start + (double)sent / (double)pps;
        while (now() < due) { }
        int n = (int)(total - sent < BATCH ? total - sent : BATCH);
        int r = sendmmsg(fd, messages, (unsigned)n, 0);
        if (r < 0) { perror("sendmmsg"); return 1; }
        sent += r;
    }
    double elapsed = now() - start;
    printf("sent=%ld seconds=%.3f pps=%.0f\n", sent, elapsed, (double)sent / elapsed);
    close(fd);
    return 0;
}
