/* sd_notify: tells the service manager what xswd is doing (the notify
 * protocol of systemd's Type=notify services), without libsystemd.
 *
 * Any thread, though xswd calls it from the control thread only.  Each call
 * is one datagram to the socket named by $NOTIFY_SOCKET; when that is unset
 * (xswd run by hand, or by a manager that does not listen) the calls do
 * nothing.  Nothing is allocated; nothing is kept open between calls. */
#ifndef XSW_SD_NOTIFY_H
#define XSW_SD_NOTIFY_H 1

/* Sends state, newline-separated assignments such as "READY=1" or
 * "STATUS=2 bridges, 5 ports up".  0 when sent or when $NOTIFY_SOCKET is
 * unset; a negative errno otherwise (-EAFNOSUPPORT for an address that is
 * neither a path nor "@abstract", -EMSGSIZE for state too long for one
 * datagram, or what socket() or sendmsg() said).  A failure matters to no
 * one but the manager, so callers may ignore it. */
int sd_notify_send(const char *state);

/* sd_notify_send() of a formatted state (at most 1023 characters). */
int sd_notify_sendf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* XSW_SD_NOTIFY_H */
