/* upcall: the SPSC ring, its wakeups, its loss counting and the messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <poll.h>
#include <pthread.h>

#include "flow_key.h"
#include "odp_key.h"
#include "upcall.h"

static uint8_t test_frame[60] = {
    0x00, 0x02, 0xe3, 0x0f, 0x80, 0xa4, 0xe0, 0x91, 0xf5, 0x21, 0xd0, 0xb2, 0x08, 0x00,
    0x45, 0x00, 0x00, 0x2e, 0x00, 0x00, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00,
    10, 0, 0, 1, 10, 0, 0, 2, 0x12, 0x34, 0x00, 0x50, 0x00, 0x1a, 0x00, 0x00,
};

static void
make_packet(struct packet *p, uint8_t *data, uint32_t len)
{
    memset(p, 0, sizeof *p);
    p->data = data;
    p->len = len;
    p->addr = PACKET_ADDR_NONE;
}

static int
readable(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };

    return poll(&pfd, 1, 0);
}

static void
test_miss_message(void **state)
{
    struct upcall_ring *ring;
    struct flow_key key, back;
    struct packet pkt;
    struct upcall_info info;
    struct upcall_msg msg;
    const void *m;
    uint32_t len;

    (void) state;
    assert_int_equal(upcall_ring_create(4, 2048, &ring), 0);
    flow_extract(test_frame, sizeof test_frame, &(struct flow_meta) { .in_port = 3 }, &key, NULL);
    make_packet(&pkt, test_frame, sizeof test_frame);
    info = (struct upcall_info) { .family = 0x21, .cmd = OVS_PACKET_CMD_MISS, .dp_ifindex = 7,
                                  .portid = 99, .key = &key };
    assert_int_equal(readable(upcall_ring_fd(ring)), 0);
    assert_int_equal(upcall_enqueue(ring, &info, &pkt), 0);
    assert_int_equal(readable(upcall_ring_fd(ring)), 1);

    m = upcall_ring_peek(ring, &len);
    assert_non_null(m);
    assert_int_equal(((const struct nlmsghdr *) m)->nlmsg_type, 0x21);
    assert_int_equal(((const struct nlmsghdr *) m)->nlmsg_pid, 99);
    assert_int_equal(upcall_msg_parse(m, len, &msg), 0);
    assert_int_equal(msg.cmd, OVS_PACKET_CMD_MISS);
    assert_int_equal(msg.dp_ifindex, 7);
    assert_int_equal(msg.packet_len, sizeof test_frame);
    assert_memory_equal(msg.packet, test_frame, sizeof test_frame);
    assert_null(msg.userdata);
    assert_int_equal(odp_key_parse(msg.key, msg.key_len, &back, NULL, NULL), 0);
    assert_true(flow_key_equal(&key, &back));
    upcall_ring_release(ring);
    assert_null(upcall_ring_peek(ring, &len));
    upcall_ring_destroy(ring);
}

static void
test_action_userdata(void **state)
{
    struct upcall_ring *ring;
    struct flow_key key;
    struct packet pkt;
    struct upcall_msg msg;
    const void *m;
    uint32_t len;
    static const char cookie[] = "cookie!";
    struct upcall_info info;

    (void) state;
    assert_int_equal(upcall_ring_create(4, 2048, &ring), 0);
    flow_extract(test_frame, sizeof test_frame, NULL, &key, NULL);
    make_packet(&pkt, test_frame, sizeof test_frame);
    info = (struct upcall_info) { .family = 1, .cmd = OVS_PACKET_CMD_ACTION, .key = &key,
                                  .userdata = cookie, .userdata_len = sizeof cookie };
    assert_int_equal(upcall_enqueue(ring, &info, &pkt), 0);
    m = upcall_ring_peek(ring, &len);
    assert_int_equal(upcall_msg_parse(m, len, &msg), 0);
    assert_int_equal(msg.cmd, OVS_PACKET_CMD_ACTION);
    assert_int_equal(msg.userdata_len, sizeof cookie);
    assert_memory_equal(msg.userdata, cookie, sizeof cookie);
    upcall_ring_release(ring);
    upcall_ring_destroy(ring);
}

static void
test_full_ring_counts_lost(void **state)
{
    struct upcall_ring *ring;
    struct upcall_ring_stats st;
    struct flow_key key;
    struct packet pkt;
    struct upcall_info info;
    uint8_t big[4000];

    (void) state;
    assert_int_equal(upcall_ring_create(8, 1024, &ring), 0);
    flow_extract(test_frame, sizeof test_frame, NULL, &key, NULL);
    make_packet(&pkt, test_frame, sizeof test_frame);
    info = (struct upcall_info) { .family = 1, .cmd = OVS_PACKET_CMD_MISS, .key = &key };
    for (int i = 0; i < 8; i++) {
        assert_int_equal(upcall_enqueue(ring, &info, &pkt), 0);
    }
    assert_int_equal(upcall_enqueue(ring, &info, &pkt), -ENOBUFS);
    assert_int_equal(upcall_enqueue(ring, &info, &pkt), -ENOBUFS);
    memset(big, 0, sizeof big);
    make_packet(&pkt, big, sizeof big);
    upcall_ring_clear_wakeup(ring);
    for (int i = 0; i < 8; i++) {
        uint32_t len;

        assert_non_null(upcall_ring_peek(ring, &len));
        upcall_ring_release(ring);
    }
    assert_int_equal(upcall_enqueue(ring, &info, &pkt), -EMSGSIZE);
    upcall_ring_get_stats(ring, &st);
    assert_int_equal(st.queued, 8);
    assert_int_equal(st.lost, 2);
    assert_int_equal(st.too_big, 1);
    upcall_ring_destroy(ring);
}

static void
test_bad_create(void **state)
{
    struct upcall_ring *ring;

    (void) state;
    assert_int_equal(upcall_ring_create(0, 2048, &ring), -EINVAL);
    assert_int_equal(upcall_ring_create(6, 2048, &ring), -EINVAL);
    assert_int_equal(upcall_ring_create(8, 16, &ring), -EINVAL);
}

static void
test_parse_rejects_garbage(void **state)
{
    uint8_t buf[256];
    struct upcall_msg msg;

    (void) state;
    srand(7);
    for (int i = 0; i < 20000; i++) {
        size_t n = (size_t) rand() % sizeof buf;

        for (size_t j = 0; j < n; j++) {
            buf[j] = (uint8_t) rand();
        }
        if (n >= 4) {   /* a plausible length makes the attribute walk run */
            uint32_t l = (uint32_t) n;

            memcpy(buf, &l, 4);
        }
        (void) upcall_msg_parse(buf, n, &msg);
    }
    assert_int_equal(upcall_msg_parse(buf, 0, &msg), -EINVAL);
}

/* One producer, one consumer that sleeps on the eventfd: every message
 * arrives, in order, and no wakeup is ever missed (the test would hang). */
#define SPSC_N 200000
static void *
producer(void *arg)
{
    struct upcall_ring *ring = arg;
    struct flow_key key;
    struct packet pkt;
    uint8_t frame[60];
    struct upcall_info info;

    memcpy(frame, test_frame, sizeof frame);
    make_packet(&pkt, frame, sizeof frame);
    info = (struct upcall_info) { .family = 1, .cmd = OVS_PACKET_CMD_MISS, .key = &key };
    for (uint32_t i = 0; i < SPSC_N; ) {
        memcpy(frame + 40, &i, sizeof i);
        flow_extract(frame, sizeof frame, NULL, &key, NULL);
        if (upcall_enqueue(ring, &info, &pkt) == 0) {
            i++;
        }
    }
    return NULL;
}

static void
test_spsc_no_lost_wakeup(void **state)
{
    struct upcall_ring *ring;
    pthread_t th;
    uint32_t expect = 0;

    (void) state;
    assert_int_equal(upcall_ring_create(64, 512, &ring), 0);
    assert_int_equal(pthread_create(&th, NULL, producer, ring), 0);
    while (expect < SPSC_N) {
        struct pollfd pfd = { .fd = upcall_ring_fd(ring), .events = POLLIN };
        const void *m;
        uint32_t len;

        assert_int_equal(poll(&pfd, 1, 5000), 1);
        upcall_ring_clear_wakeup(ring);
        while ((m = upcall_ring_peek(ring, &len))) {
            struct upcall_msg msg;
            uint32_t seq;

            assert_int_equal(upcall_msg_parse(m, len, &msg), 0);
            memcpy(&seq, (const uint8_t *) msg.packet + 40, sizeof seq);
            assert_int_equal(seq, expect);
            expect++;
            upcall_ring_release(ring);
        }
    }
    pthread_join(th, NULL);
    upcall_ring_destroy(ring);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_miss_message),
        cmocka_unit_test(test_action_userdata),
        cmocka_unit_test(test_full_ring_counts_lost),
        cmocka_unit_test(test_bad_create),
        cmocka_unit_test(test_parse_rejects_garbage),
        cmocka_unit_test(test_spsc_no_lost_wakeup),
    };

    return cmocka_run_group_tests_name("upcall", tests, NULL, NULL);
}
