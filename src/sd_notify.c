/* sd_notify: see sd_notify.h. */
#include "sd_notify.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define SD_NOTIFY_MAX 1024

/* Fills addr from $NOTIFY_SOCKET: a path, or "@name" for the abstract
 * namespace, where the '@' stands for the leading NUL the kernel wants and
 * the length, not a terminator, ends the name. */
static int
sd_notify_addr(const char *name, struct sockaddr_un *addr, socklen_t *len)
{
    size_t n = strlen(name);

    if ((name[0] != '/' && name[0] != '@') || n < 2) {
        return -EAFNOSUPPORT;
    }
    if (n > sizeof addr->sun_path) {
        return -ENAMETOOLONG;
    }
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    memcpy(addr->sun_path, name, n);
    if (name[0] == '@') {
        addr->sun_path[0] = '\0';
    }
    /* Abstract names are not NUL-terminated; paths need not be either. */
    *len = offsetof(struct sockaddr_un, sun_path) + n;
    return 0;
}

int
sd_notify_send(const char *state)
{
    const char *name = getenv("NOTIFY_SOCKET");
    struct sockaddr_un addr;
    socklen_t addr_len;
    ssize_t sent;
    size_t len;
    int error;
    int fd;

    if (!name || !*name) {
        return 0;
    }
    error = sd_notify_addr(name, &addr, &addr_len);
    if (error) {
        return error;
    }
    len = strlen(state);
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    /* The manager reads our pid and credentials from the kernel (it turns on
     * SO_PASSCRED), so the datagram carries the state alone. */
    sent = sendto(fd, state, len, MSG_NOSIGNAL, (struct sockaddr *) &addr, addr_len);
    error = sent < 0 ? -errno : (size_t) sent != len ? -EMSGSIZE : 0;
    close(fd);
    return error;
}

int
sd_notify_sendf(const char *fmt, ...)
{
    char buf[SD_NOTIFY_MAX];
    va_list ap;
    int n;

    if (!getenv("NOTIFY_SOCKET")) {
        return 0;
    }
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t) n >= sizeof buf) {
        return -EMSGSIZE;
    }
    return sd_notify_send(buf);
}
