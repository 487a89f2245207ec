/* config: /etc/xsw/xsw.ini, read with iniparser, checked, and turned into
 * plain structs that the rest of xswd uses without further checks.
 *
 * Control thread only (it reads a file and allocates).  config_load() and
 * config_defaults() return a struct xsw_config that the caller frees with
 * config_free(); config_diff() fills a struct config_diff that the caller
 * frees with config_diff_free() and that points into both configs.
 *
 * The file has three kinds of section:
 *
 *   [global]          settings of the daemon (optional; every key has a
 *                     default)
 *   [bridge.NAME]     one datapath; NAME is also the name of its internal
 *                     (TAP) port, so it must be a valid interface name
 *   [port.NAME]       one AF_XDP port: which bridge, which interface, how to
 *                     attach, which VLANs
 *
 * Section and key names are not case-sensitive: iniparser folds them to lower
 * case, so bridge and port names are lower case everywhere.  Values keep
 * their case, which matters for "interface =", the only way to name a host
 * interface.  Anything the loader does not know is an error, so that a typo
 * cannot silently leave a default in force.  An error message gives as much
 * of "FILE:LINE: [SECTION] KEY = 'VALUE':" as applies, then what is allowed;
 * man xsw.ini(5) documents every key. */
#ifndef XSW_CONFIG_H
#define XSW_CONFIG_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xsw_err.h"

#ifdef XSW_SYSCONFDIR
#define CONFIG_DEFAULT_PATH XSW_SYSCONFDIR "/xsw/xsw.ini"
#else
#define CONFIG_DEFAULT_PATH "/etc/xsw/xsw.ini"
#endif
#define CONFIG_DEFAULT_SOCKET "/run/xsw/xswd.sock"

/* Bridge, port and interface names are Linux interface names: at most 15
 * bytes and a NUL (IFNAMSIZ). */
#define CONFIG_NAME_SIZE 16
/* The control socket path must fit sockaddr_un.sun_path with its NUL. */
#define CONFIG_SOCKET_SIZE 108

#define CONFIG_VLAN_MIN 1
#define CONFIG_VLAN_MAX 4094

enum config_log_level {
    CONFIG_LOG_ERROR,
    CONFIG_LOG_WARN,
    CONFIG_LOG_INFO,
    CONFIG_LOG_DEBUG,
};

enum config_xdp_mode {
    CONFIG_XDP_AUTO,            /* native (driver) mode, else skb mode */
    CONFIG_XDP_NATIVE,
    CONFIG_XDP_SKB,
};

enum config_zero_copy {
    CONFIG_ZC_AUTO,             /* XDP_ZEROCOPY, else copy mode */
    CONFIG_ZC_YES,              /* XDP_ZEROCOPY or fail */
    CONFIG_ZC_NO,               /* XDP_COPY */
};

/* The VLAN modes of OVS (vswitch.xml, Port vlan_mode), same meanings. */
enum config_vlan_mode {
    CONFIG_VLAN_ACCESS,
    CONFIG_VLAN_TRUNK,
    CONFIG_VLAN_NATIVE_TAGGED,
    CONFIG_VLAN_NATIVE_UNTAGGED,
};

/* One bit per VLAN ID 0..4095. */
struct config_vlan_set {
    uint64_t bits[4096 / 64];
};

struct config_global {
    uint32_t workers;                   /* worker threads */
    char socket[CONFIG_SOCKET_SIZE];    /* control socket path */
    enum config_log_level log_level;
    uint32_t umem_frames;               /* frames in each bridge's umem */
    uint32_t frame_size;                /* 2048 or 4096 bytes */
    uint32_t upcall_queue_len;          /* per worker */
    uint32_t max_flows;                 /* per bridge */
    uint32_t emc_entries;               /* per worker; 0 disables the EMC */
    uint32_t emc_insert_inv_prob;       /* insert 1 in N misses */
    uint32_t revalidate_interval_ms;
    /* Defaults for the bridges, which may override each of them. */
    uint32_t flow_idle_timeout_ms;
    uint32_t mac_aging;                 /* seconds */
    uint32_t mac_table_size;
};

struct config_bridge {
    char name[CONFIG_NAME_SIZE];        /* lower case; also the TAP name */
    bool internal_port;                 /* create the TAP port (port 0) */
    /* Resolved: the bridge's own value, else the one of [global]. */
    uint32_t flow_idle_timeout_ms;
    uint32_t mac_aging;
    uint32_t mac_table_size;
    unsigned int line;                  /* of its section header, or 0 */
};

struct config_port {
    char name[CONFIG_NAME_SIZE];        /* lower case */
    char bridge[CONFIG_NAME_SIZE];      /* name of a config_bridge */
    char interface[CONFIG_NAME_SIZE];   /* host interface, case kept */
    uint32_t port_no;                   /* 0: the datapath chooses */
    enum config_xdp_mode xdp_mode;
    enum config_zero_copy zero_copy;
    uint32_t queues;                    /* queues 0..N-1; 0: all of them */
    enum config_vlan_mode vlan_mode;
    uint16_t tag;                       /* access or native VLAN; 0: none */
    /* The VLANs the port carries: the tag alone for an access port; for
     * native-* ports the trunks plus the native VLAN, as OVS does. */
    struct config_vlan_set trunks;
    unsigned int line;                  /* of its section header, or 0 */
};

struct xsw_config {
    char *path;                 /* the file it came from; NULL for defaults */
    struct config_global global;
    struct config_bridge *bridges;      /* in file order */
    size_t n_bridges;
    struct config_port *ports;          /* in file order */
    size_t n_ports;
};

/* Reads and checks PATH.  On success *out is a new config and the return
 * value is 0.  On failure *out is NULL, err->msg says what and where
 * ("/etc/xsw/xsw.ini:12: [port.p1] vlan_mode = 'acess': expected access,
 * trunk, native-tagged or native-untagged") and the return value is a
 * negative errno: that of open() or read() for a file that cannot be read,
 * -EINVAL for a bad file, -ENOMEM, or -EAGAIN if the file changed while it
 * was being read. */
int config_load(const char *path, struct xsw_config **out, struct xsw_err *err);

/* A config with the [global] defaults and no bridge: what xswd runs with when
 * it is given no file.  Returns 0 or -ENOMEM. */
int config_defaults(struct xsw_config **out);

/* Frees what config_load() or config_defaults() returned.  NULL is fine. */
void config_free(struct xsw_config *cfg);

/* Lookups by name, not case-sensitive (names in a config are lower case, a
 * user may type them otherwise).  NULL if there is none. */
const struct config_bridge *config_find_bridge(const struct xsw_config *cfg,
                                               const char *name);
const struct config_port *config_find_port(const struct xsw_config *cfg,
                                           const char *name);
/* The port that uses host interface IFNAME (case-sensitive), or NULL. */
const struct config_port *config_find_interface(const struct xsw_config *cfg,
                                                const char *ifname);

/* Whether PORT carries VLAN VID, as a tagged or (native/access) untagged
 * VLAN: the test that the slow path applies on input and on output. */
static inline bool
config_vlan_in_trunks(const struct config_port *port, unsigned int vid)
{
    return vid < 4096 && (port->trunks.bits[vid / 64] >> (vid % 64)) & 1;
}

/* Parses a VLAN list such as "10,20-30" (IDs 1..4094, spaces allowed around
 * the separators) into *set, which it clears first.  Returns 0 or -EINVAL
 * with err->msg saying what is wrong, without any file context. */
int config_vlan_set_parse(const char *s, struct config_vlan_set *set,
                          struct xsw_err *err);

/* Writes SET as the shortest list of IDs and ranges ("1-4094", "10,20-30",
 * "" if empty), truncated to fit SIZE.  Returns the length it needed, as
 * snprintf() does. */
int config_vlan_set_format(const struct config_vlan_set *set, char *buf,
                           size_t size);

/* ---------------------------------------------------------------- diff
 *
 * What a reload must do to go from one config to the next.  Bridges and
 * ports are matched by name: a port whose name is the same is CHANGED (with
 * the fields that differ), never removed and added, even if it moved to
 * another bridge; the daemon decides what a change costs.  Each list has the
 * removals first (in the old file's order), then the additions and changes
 * (in the new file's order), so that an interface that moves from one port
 * to another is free before it is taken. */

enum config_change_kind {
    CONFIG_ADDED = 1,
    CONFIG_REMOVED,
    CONFIG_CHANGED,
};

/* [global] keys, one bit each. */
enum {
    CONFIG_GLOBAL_WORKERS                = 1 << 0,
    CONFIG_GLOBAL_SOCKET                 = 1 << 1,
    CONFIG_GLOBAL_LOG_LEVEL              = 1 << 2,
    CONFIG_GLOBAL_UMEM_FRAMES            = 1 << 3,
    CONFIG_GLOBAL_FRAME_SIZE             = 1 << 4,
    CONFIG_GLOBAL_UPCALL_QUEUE_LEN       = 1 << 5,
    CONFIG_GLOBAL_MAX_FLOWS              = 1 << 6,
    CONFIG_GLOBAL_EMC_ENTRIES            = 1 << 7,
    CONFIG_GLOBAL_EMC_INSERT_INV_PROB    = 1 << 8,
    CONFIG_GLOBAL_REVALIDATE_INTERVAL_MS = 1 << 9,
    /* The bridge defaults: their effect shows in each bridge's change. */
    CONFIG_GLOBAL_FLOW_IDLE_TIMEOUT_MS   = 1 << 10,
    CONFIG_GLOBAL_MAC_AGING              = 1 << 11,
    CONFIG_GLOBAL_MAC_TABLE_SIZE         = 1 << 12,
};

/* Fields of a bridge. */
enum {
    CONFIG_BRIDGE_INTERNAL_PORT          = 1 << 0,
    CONFIG_BRIDGE_FLOW_IDLE_TIMEOUT_MS   = 1 << 1,
    CONFIG_BRIDGE_MAC_AGING              = 1 << 2,
    CONFIG_BRIDGE_MAC_TABLE_SIZE         = 1 << 3,
};

/* Fields of a port. */
enum {
    CONFIG_PORT_BRIDGE                   = 1 << 0,
    CONFIG_PORT_INTERFACE                = 1 << 1,
    CONFIG_PORT_PORT_NO                  = 1 << 2,
    CONFIG_PORT_XDP_MODE                 = 1 << 3,
    CONFIG_PORT_ZERO_COPY                = 1 << 4,
    CONFIG_PORT_QUEUES                   = 1 << 5,
    CONFIG_PORT_VLAN_MODE                = 1 << 6,
    CONFIG_PORT_TAG                      = 1 << 7,
    CONFIG_PORT_TRUNKS                   = 1 << 8,
};
/* The fields that the slow path applies without touching the port's
 * sockets: a change of these alone only needs the port's flows revalidated. */
#define CONFIG_PORT_VLAN_FIELDS \
    (CONFIG_PORT_VLAN_MODE | CONFIG_PORT_TAG | CONFIG_PORT_TRUNKS)

struct config_bridge_change {
    enum config_change_kind kind;
    unsigned int fields;        /* CONFIG_BRIDGE_*, for CONFIG_CHANGED */
    const struct config_bridge *old_bridge;     /* NULL if ADDED */
    const struct config_bridge *new_bridge;     /* NULL if REMOVED */
};

struct config_port_change {
    enum config_change_kind kind;
    unsigned int fields;        /* CONFIG_PORT_*, for CONFIG_CHANGED */
    const struct config_port *old_port;         /* NULL if ADDED */
    const struct config_port *new_port;         /* NULL if REMOVED */
};

struct config_diff {
    unsigned int global;        /* CONFIG_GLOBAL_* bits that differ */
    struct config_bridge_change *bridges;
    size_t n_bridges;
    struct config_port_change *ports;
    size_t n_ports;
};

/* Fills *diff with what differs from OLD_CFG to NEW_CFG.  Returns the number
 * of changes (n_bridges + n_ports, plus 1 if any global key changed; 0 when
 * the two are the same), or -ENOMEM with *diff empty.  The pointers in *diff
 * point into both configs: free neither before config_diff_free(). */
int config_diff(const struct xsw_config *old_cfg,
                const struct xsw_config *new_cfg, struct config_diff *diff);
void config_diff_free(struct config_diff *diff);

/* Whether a changed port differs only in its VLAN settings. */
static inline bool
config_port_change_vlan_only(const struct config_port_change *c)
{
    return c->kind == CONFIG_CHANGED
           && !(c->fields & ~(unsigned int) CONFIG_PORT_VLAN_FIELDS);
}

/* Names for messages and for xswctl. */
const char *config_log_level_name(enum config_log_level level);
const char *config_xdp_mode_name(enum config_xdp_mode mode);
const char *config_zero_copy_name(enum config_zero_copy zc);
const char *config_vlan_mode_name(enum config_vlan_mode mode);

#endif /* XSW_CONFIG_H */
