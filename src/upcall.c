#include "upcall.h"

#include <errno.h>
#include <linux/genetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "odp_key.h"

#define UPCALL_CACHELINE 64

struct upcall_ring {
    /* Producer's line: only the worker writes it. */
    uint64_t head __attribute__((aligned(UPCALL_CACHELINE)));
    uint64_t cached_tail;       /* last tail seen, saves reading the other line */
    uint64_t queued;
    uint64_t lost;
    uint64_t too_big;

    /* Consumer's line: only the control thread writes it. */
    uint64_t tail __attribute__((aligned(UPCALL_CACHELINE)));

    /* Read-only after creation. */
    uint32_t mask __attribute__((aligned(UPCALL_CACHELINE)));
    uint32_t slot_size;
    int efd;
    uint8_t *slots;             /* n_slots * (4-byte length + slot_size) */
};

static inline uint8_t *
upcall_slot(const struct upcall_ring *r, uint64_t idx)
{
    return r->slots + (size_t) (idx & r->mask) * ((size_t) r->slot_size + 8);
}

int
upcall_ring_create(unsigned int n_slots, uint32_t slot_size, struct upcall_ring **ringp)
{
    struct upcall_ring *r;
    int error;

    if (!n_slots || (n_slots & (n_slots - 1)) || slot_size < 256) {
        return -EINVAL;
    }
    r = aligned_alloc(UPCALL_CACHELINE, sizeof *r);
    if (!r) {
        return -ENOMEM;
    }
    memset(r, 0, sizeof *r);
    r->mask = n_slots - 1;
    /* Slots start 8-byte aligned so that netlink headers inside are too. */
    r->slot_size = (slot_size + 7) & ~7U;
    r->slots = malloc((size_t) n_slots * ((size_t) r->slot_size + 8));
    if (!r->slots) {
        error = -ENOMEM;
        goto err_free;
    }
    r->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (r->efd < 0) {
        error = -errno;
        goto err_slots;
    }
    *ringp = r;
    return 0;

err_slots:
    free(r->slots);
err_free:
    free(r);
    return error;
}

void
upcall_ring_destroy(struct upcall_ring *r)
{
    if (r) {
        close(r->efd);
        free(r->slots);
        free(r);
    }
}

int
upcall_ring_fd(const struct upcall_ring *r)
{
    return r->efd;
}

static int
upcall_build(void *buf, size_t room, const struct upcall_info *info, const struct packet *pkt)
{
    struct nlmsghdr *nlh;
    struct genlmsghdr *genl;
    struct ovs_header *ovs;
    struct nlattr *nest;
    int error;

    if (room < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof *genl) + MNL_ALIGN(sizeof *ovs)) {
        return -EMSGSIZE;
    }
    nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = info->family;
    nlh->nlmsg_pid = info->portid;
    genl = mnl_nlmsg_put_extra_header(nlh, sizeof *genl);
    genl->cmd = info->cmd;
    genl->version = OVS_PACKET_VERSION;
    ovs = mnl_nlmsg_put_extra_header(nlh, sizeof *ovs);
    ovs->dp_ifindex = info->dp_ifindex;

    /* The kernel's order: key, userdata, packet. */
    nest = mnl_attr_nest_start_check(nlh, room, OVS_PACKET_ATTR_KEY);
    if (!nest) {
        return -EMSGSIZE;
    }
    error = odp_key_put(nlh, room, info->key);
    if (error) {
        return error;
    }
    mnl_attr_nest_end(nlh, nest);
    if (info->userdata
        && !mnl_attr_put_check(nlh, room, OVS_PACKET_ATTR_USERDATA,
                               info->userdata_len, info->userdata)) {
        return -EMSGSIZE;
    }
    if (!mnl_attr_put_check(nlh, room, OVS_PACKET_ATTR_PACKET, pkt->len, pkt->data)) {
        return -EMSGSIZE;
    }
    return (int) nlh->nlmsg_len;
}

int
upcall_enqueue(struct upcall_ring *r, const struct upcall_info *info, const struct packet *pkt)
{
    uint64_t head = r->head;
    uint8_t *slot;
    int len;

    if (head - r->cached_tail > r->mask) {
        r->cached_tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
        if (head - r->cached_tail > r->mask) {
            __atomic_store_n(&r->lost, r->lost + 1, __ATOMIC_RELAXED);
            return -ENOBUFS;
        }
    }
    slot = upcall_slot(r, head);
    len = upcall_build(slot + 8, r->slot_size, info, pkt);
    if (len < 0) {
        __atomic_store_n(&r->too_big, r->too_big + 1, __ATOMIC_RELAXED);
        return len;
    }
    memcpy(slot, &len, sizeof len);
    __atomic_store_n(&r->queued, r->queued + 1, __ATOMIC_RELAXED);

    /* Wake the control thread only on the empty -> non-empty edge.  The
     * sequentially consistent store of head and load of tail pair with the
     * consumer's store of tail and load of head (a Dekker handshake): either
     * it sees our new head after publishing its tail, or we see its tail
     * and wake it.  One such pair per upcall, not per packet. */
    __atomic_store_n(&r->head, head + 1, __ATOMIC_SEQ_CST);
    r->cached_tail = __atomic_load_n(&r->tail, __ATOMIC_SEQ_CST);
    if (r->cached_tail == head) {
        uint64_t one = 1;
        ssize_t n = write(r->efd, &one, sizeof one);

        (void) n;   /* EAGAIN: the counter is already non-zero, it will wake */
    }
    return 0;
}

const void *
upcall_ring_peek(struct upcall_ring *r, uint32_t *len)
{
    uint64_t tail = r->tail;
    const uint8_t *slot;
    int n;

    if (__atomic_load_n(&r->head, __ATOMIC_SEQ_CST) == tail) {
        return NULL;
    }
    slot = upcall_slot(r, tail);
    memcpy(&n, slot, sizeof n);
    *len = (uint32_t) n;
    return slot + 8;
}

void
upcall_ring_release(struct upcall_ring *r)
{
    __atomic_store_n(&r->tail, r->tail + 1, __ATOMIC_SEQ_CST);
}

void
upcall_ring_clear_wakeup(struct upcall_ring *r)
{
    uint64_t v;
    ssize_t n = read(r->efd, &v, sizeof v);

    (void) n;
}

void
upcall_ring_get_stats(const struct upcall_ring *r, struct upcall_ring_stats *s)
{
    s->queued = __atomic_load_n(&r->queued, __ATOMIC_RELAXED);
    s->lost = __atomic_load_n(&r->lost, __ATOMIC_RELAXED);
    s->too_big = __atomic_load_n(&r->too_big, __ATOMIC_RELAXED);
}

struct upcall_parse_ctx {
    const struct nlattr *tb[OVS_PACKET_ATTR_MAX + 1];
};

static int
upcall_attr_cb(const struct nlattr *a, void *data)
{
    struct upcall_parse_ctx *ctx = data;
    uint16_t type = mnl_attr_get_type(a);

    if (type <= OVS_PACKET_ATTR_MAX) {
        ctx->tb[type] = a;
    }
    return MNL_CB_OK;
}

int
upcall_msg_parse(const void *msg, size_t len, struct upcall_msg *out)
{
    const struct nlmsghdr *nlh = msg;
    const struct genlmsghdr *genl;
    const struct ovs_header *ovs;
    size_t hdrs = MNL_ALIGN(sizeof *genl) + MNL_ALIGN(sizeof *ovs);
    struct upcall_parse_ctx ctx;

    if (len < MNL_NLMSG_HDRLEN || !mnl_nlmsg_ok(nlh, (int) len)
        || mnl_nlmsg_get_payload_len(nlh) < hdrs) {
        return -EINVAL;
    }
    genl = mnl_nlmsg_get_payload(nlh);
    ovs = (const void *) ((const char *) genl + MNL_ALIGN(sizeof *genl));
    if (genl->cmd != OVS_PACKET_CMD_MISS && genl->cmd != OVS_PACKET_CMD_ACTION) {
        return -EINVAL;
    }
    memset(&ctx, 0, sizeof ctx);
    if (mnl_attr_parse(nlh, (unsigned int) hdrs, upcall_attr_cb, &ctx) != MNL_CB_OK
        || !ctx.tb[OVS_PACKET_ATTR_KEY] || !ctx.tb[OVS_PACKET_ATTR_PACKET]) {
        return -EINVAL;
    }
    memset(out, 0, sizeof *out);
    out->cmd = genl->cmd;
    out->dp_ifindex = ovs->dp_ifindex;
    out->key = mnl_attr_get_payload(ctx.tb[OVS_PACKET_ATTR_KEY]);
    out->key_len = mnl_attr_get_payload_len(ctx.tb[OVS_PACKET_ATTR_KEY]);
    out->packet = mnl_attr_get_payload(ctx.tb[OVS_PACKET_ATTR_PACKET]);
    out->packet_len = mnl_attr_get_payload_len(ctx.tb[OVS_PACKET_ATTR_PACKET]);
    if (ctx.tb[OVS_PACKET_ATTR_USERDATA]) {
        out->userdata = mnl_attr_get_payload(ctx.tb[OVS_PACKET_ATTR_USERDATA]);
        out->userdata_len = mnl_attr_get_payload_len(ctx.tb[OVS_PACKET_ATTR_USERDATA]);
    }
    return 0;
}
