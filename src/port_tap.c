#include "port_tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int
port_tap_set_up(const char *name, uint8_t mac[6], int *ifindex, struct xsw_err *err)
{
    struct ifreq ifr;
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int error = 0;

    if (s < 0) {
        return xsw_err_set(err, errno, "%s: socket: %s", name, strerror(errno));
    }
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
        error = xsw_err_set(err, errno, "%s: reading flags: %s", name, strerror(errno));
        goto out;
    }
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) {
        error = xsw_err_set(err, errno, "%s: bringing up: %s", name, strerror(errno));
        goto out;
    }
    if (ioctl(s, SIOCGIFHWADDR, &ifr) == 0) {
        memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
    }
    if (ioctl(s, SIOCGIFINDEX, &ifr) < 0) {
        error = xsw_err_set(err, errno, "%s: reading ifindex: %s", name, strerror(errno));
        goto out;
    }
    *ifindex = ifr.ifr_ifindex;
out:
    close(s);
    return error;
}

int
port_tap_open(const char *name, struct port_tap *tap, struct xsw_err *err)
{
    struct ifreq ifr;
    int error;

    memset(tap, 0, sizeof *tap);
    tap->fd = -1;
    if (!name[0] || strlen(name) >= IFNAMSIZ) {
        return xsw_err_set(err, EINVAL, "'%s': an interface name has 1 to %d characters",
                           name, IFNAMSIZ - 1);
    }
    if (if_nametoindex(name)) {
        return xsw_err_set(err, EEXIST, "%s: an interface of that name exists already", name);
    }
    tap->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (tap->fd < 0) {
        return xsw_err_set(err, errno, "%s: opening /dev/net/tun: %s", name, strerror(errno));
    }
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    if (ioctl(tap->fd, TUNSETIFF, &ifr) < 0) {
        error = xsw_err_set(err, errno, "%s: creating TAP device: %s", name, strerror(errno));
        goto err_close;
    }
    snprintf(tap->name, sizeof tap->name, "%s", ifr.ifr_name);
    error = port_tap_set_up(tap->name, tap->mac, &tap->ifindex, err);
    if (error) {
        goto err_close;
    }
    return 0;

err_close:
    close(tap->fd);
    tap->fd = -1;
    return error;
}

void
port_tap_close(struct port_tap *tap)
{
    if (tap->fd >= 0) {
        close(tap->fd);     /* not persistent: the device goes with the fd */
        tap->fd = -1;
    }
}

ssize_t
port_tap_recv(struct port_tap *tap, void *buf, size_t size)
{
    ssize_t n = read(tap->fd, buf, size);

    if (n < 0) {
        return errno == EAGAIN || errno == EINTR ? 0 : -errno;
    }
    __atomic_fetch_add(&tap->rx_packets, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&tap->rx_bytes, (uint64_t) n, __ATOMIC_RELAXED);
    return n;
}

void
port_tap_send(struct port_tap *tap, const void *frame, size_t len)
{
    ssize_t n = write(tap->fd, frame, len);

    /* Several workers may send: atomic adds keep the counts exact.  This is
     * the host-stack path, already a syscall per frame. */
    if (n == (ssize_t) len) {
        __atomic_fetch_add(&tap->tx_packets, 1, __ATOMIC_RELAXED);
        __atomic_fetch_add(&tap->tx_bytes, len, __ATOMIC_RELAXED);
    } else {
        __atomic_fetch_add(&tap->tx_errors, 1, __ATOMIC_RELAXED);
    }
}
