/* config: xsw.ini loading, the error messages of bad files, VLAN lists and
 * config_diff(). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

/* By path: an autoconf config.h left in a build tree (found first through
 * -I.) must not stand in for this one. */
#include "config.h"

#define TMP_TEMPLATE "/tmp/xsw-test-config-XXXXXX"

/* Writes LEN bytes of TEXT to a new temporary file; PATH gets its name. */
static void
write_tmp(char path[sizeof TMP_TEMPLATE], const char *text, size_t len)
{
    int fd;

    strcpy(path, TMP_TEMPLATE);
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t) len);
    assert_int_equal(close(fd), 0);
}

/* Loads TEXT through a temporary file, deleted before anything is checked
 * so that a failed assertion leaves nothing behind.  The file's name is
 * copied to PATH (if not NULL) to check that messages name it. */
static int
load_text_len(const char *text, size_t len, struct xsw_config **cfg,
              struct xsw_err *err, char *path_out)
{
    char path[sizeof TMP_TEMPLATE];
    int r;

    write_tmp(path, text, len);
    r = config_load(path, cfg, err);
    unlink(path);
    if (path_out) {
        strcpy(path_out, path);
    }
    return r;
}

static int
load_text(const char *text, struct xsw_config **cfg, struct xsw_err *err,
          char *path_out)
{
    return load_text_len(text, strlen(text), cfg, err, path_out);
}

/* Loads TEXT, which must be valid. */
static struct xsw_config *
load_ok(const char *text)
{
    struct xsw_config *cfg = NULL;
    struct xsw_err err;
    int r;

    xsw_err_clear(&err);
    r = load_text(text, &cfg, &err, NULL);
    if (r) {
        print_error("unexpected error %d: %s\n", r, err.msg);
    }
    assert_int_equal(r, 0);
    assert_non_null(cfg);
    return cfg;
}

static const char *
srcdir(void)
{
    const char *d = getenv("XSW_SRCDIR");

    return d && *d ? d : "..";
}

static char *
read_whole(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf;
    long n;

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    buf = malloc(n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, n, f), (size_t) n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* ---------------------------------------------------------------- shipped */

static void
test_shipped_ini(void **state)
{
    struct xsw_config *cfg = NULL, *def = NULL;
    struct xsw_err err;
    char path[4096];
    int r;

    (void) state;
    snprintf(path, sizeof path, "%s/etc/xsw.ini", srcdir());
    r = config_load(path, &cfg, &err);
    if (r) {
        print_error("%s\n", err.msg);
    }
    assert_int_equal(r, 0);
    assert_int_equal(cfg->n_bridges, 0);
    assert_int_equal(cfg->n_ports, 0);
    assert_string_equal(cfg->path, path);
    /* Everything in it is commented out: it is the defaults. */
    assert_int_equal(config_defaults(&def), 0);
    assert_memory_equal(&cfg->global, &def->global, sizeof cfg->global);
    config_free(def);
    config_free(cfg);
}

/* The shipped file with every ';' setting switched on: the example must be
 * valid, and the values it shows must be the defaults. */
static void
test_shipped_ini_uncommented(void **state)
{
    struct xsw_config *cfg, *def = NULL;
    const struct config_port *p;
    char path[4096];
    char *text, *out, *o;
    char list[64];

    (void) state;
    snprintf(path, sizeof path, "%s/etc/xsw.ini", srcdir());
    text = read_whole(path);
    out = o = malloc(strlen(text) + 1);
    assert_non_null(out);
    for (const char *line = text; *line; ) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t) (nl - line + 1) : strlen(line);

        if (*line == ';') {
            line++;
            n--;
        }
        memcpy(o, line, n);
        o += n;
        line += n;
    }
    *o = '\0';
    cfg = load_ok(out);
    free(text);
    free(out);

    assert_int_equal(config_defaults(&def), 0);
    assert_memory_equal(&cfg->global, &def->global, sizeof cfg->global);
    config_free(def);

    assert_int_equal(cfg->n_bridges, 1);
    assert_string_equal(cfg->bridges[0].name, "br0");
    assert_true(cfg->bridges[0].internal_port);
    assert_int_equal(cfg->n_ports, 3);
    p = config_find_port(cfg, "uplink");
    assert_non_null(p);
    assert_string_equal(p->interface, "eth0");
    assert_int_equal(p->port_no, 1);
    assert_int_equal(p->vlan_mode, CONFIG_VLAN_TRUNK);
    config_vlan_set_format(&p->trunks, list, sizeof list);
    assert_string_equal(list, "10,20");
    p = config_find_port(cfg, "lab");
    assert_non_null(p);
    assert_int_equal(p->vlan_mode, CONFIG_VLAN_ACCESS);
    assert_int_equal(p->tag, 20);
    config_free(cfg);
}

/* ---------------------------------------------------------------- valid */

static void
test_defaults(void **state)
{
    struct xsw_config *cfg = NULL;
    const struct config_global *g;

    (void) state;
    assert_int_equal(config_defaults(&cfg), 0);
    g = &cfg->global;
    assert_null(cfg->path);
    assert_int_equal(cfg->n_bridges, 0);
    assert_int_equal(cfg->n_ports, 0);
    assert_int_equal(g->workers, 1);
    assert_string_equal(g->socket, "/run/xsw/xswd.sock");
    assert_int_equal(g->log_level, CONFIG_LOG_INFO);
    assert_int_equal(g->umem_frames, 16384);
    assert_int_equal(g->frame_size, 4096);
    assert_int_equal(g->upcall_queue_len, 1024);
    assert_int_equal(g->max_flows, 200000);
    assert_int_equal(g->emc_entries, 8192);
    assert_int_equal(g->emc_insert_inv_prob, 100);
    assert_int_equal(g->revalidate_interval_ms, 500);
    assert_int_equal(g->flow_idle_timeout_ms, 10000);
    assert_int_equal(g->mac_aging, 300);
    assert_int_equal(g->mac_table_size, 8192);
    config_free(cfg);
    config_free(NULL);
}

static void
test_empty_file(void **state)
{
    struct xsw_config *cfg, *def = NULL;

    (void) state;
    cfg = load_ok("");
    assert_int_equal(config_defaults(&def), 0);
    assert_memory_equal(&cfg->global, &def->global, sizeof cfg->global);
    config_free(cfg);
    cfg = load_ok("; only a comment\n\n# and another\n   \n");
    assert_memory_equal(&cfg->global, &def->global, sizeof cfg->global);
    config_free(cfg);
    config_free(def);
}

static const char full_ini[] =
    "# every key, none at its default\n"
    "[global]\n"
    "workers = 4\n"
    "socket = /tmp/xsw test.sock\n"
    "log_level = debug\n"
    "umem_frames = 65536\n"
    "frame_size = 2048\n"
    "upcall_queue_len = 4096\n"
    "max_flows = 500000\n"
    "emc_entries = 0\n"
    "emc_insert_inv_prob = 20\n"
    "revalidate_interval_ms = 250\n"
    "flow_idle_timeout_ms = 20000\n"
    "mac_aging = 600\n"
    "mac_table_size = 4096\n"
    "\n"
    "[bridge.br0]\n"
    "internal_port = no\n"
    "flow_idle_timeout_ms = 5000\n"
    "mac_aging = 60\n"
    "mac_table_size = 1024\n"
    "\n"
    "[bridge.br1]\n"
    "\n"
    "[port.up0]\n"
    "bridge = br0\n"
    "interface = enp1s0f0\n"
    "port_no = 7\n"
    "xdp_mode = native\n"
    "zero_copy = yes\n"
    "queues = 4\n"
    "vlan_mode = native-untagged\n"
    "tag = 100\n"
    "trunks = 10, 20-22\n"
    "\n"
    "[port.acc]\n"
    "bridge = br0\n"
    "interface = veth-a\n"
    "xdp_mode = skb\n"
    "zero_copy = no\n"
    "queues = all\n"
    "vlan_mode = access\n"
    "tag = 30\n"
    "\n"
    "[port.nt]\n"
    "bridge = br1\n"
    "interface = veth-b\n"
    "port_no = 7\n"
    "vlan_mode = native-tagged\n"
    "tag = 5\n";

static void
test_full_config(void **state)
{
    struct xsw_config *cfg;
    const struct config_global *g;
    const struct config_bridge *b;
    const struct config_port *p;
    char list[64];

    (void) state;
    cfg = load_ok(full_ini);
    g = &cfg->global;
    assert_int_equal(g->workers, 4);
    assert_string_equal(g->socket, "/tmp/xsw test.sock");
    assert_int_equal(g->log_level, CONFIG_LOG_DEBUG);
    assert_int_equal(g->umem_frames, 65536);
    assert_int_equal(g->frame_size, 2048);
    assert_int_equal(g->upcall_queue_len, 4096);
    assert_int_equal(g->max_flows, 500000);
    assert_int_equal(g->emc_entries, 0);
    assert_int_equal(g->emc_insert_inv_prob, 20);
    assert_int_equal(g->revalidate_interval_ms, 250);
    assert_int_equal(g->flow_idle_timeout_ms, 20000);
    assert_int_equal(g->mac_aging, 600);
    assert_int_equal(g->mac_table_size, 4096);

    assert_int_equal(cfg->n_bridges, 2);
    b = &cfg->bridges[0];
    assert_string_equal(b->name, "br0");
    assert_false(b->internal_port);
    assert_int_equal(b->flow_idle_timeout_ms, 5000);
    assert_int_equal(b->mac_aging, 60);
    assert_int_equal(b->mac_table_size, 1024);
    assert_int_equal(b->line, 17);
    /* br1 sets nothing: it inherits from [global]. */
    b = &cfg->bridges[1];
    assert_string_equal(b->name, "br1");
    assert_true(b->internal_port);
    assert_int_equal(b->flow_idle_timeout_ms, 20000);
    assert_int_equal(b->mac_aging, 600);
    assert_int_equal(b->mac_table_size, 4096);

    assert_int_equal(cfg->n_ports, 3);
    p = &cfg->ports[0];
    assert_string_equal(p->name, "up0");
    assert_string_equal(p->bridge, "br0");
    assert_string_equal(p->interface, "enp1s0f0");
    assert_int_equal(p->port_no, 7);
    assert_int_equal(p->xdp_mode, CONFIG_XDP_NATIVE);
    assert_int_equal(p->zero_copy, CONFIG_ZC_YES);
    assert_int_equal(p->queues, 4);
    assert_int_equal(p->vlan_mode, CONFIG_VLAN_NATIVE_UNTAGGED);
    assert_int_equal(p->tag, 100);
    /* The native VLAN joins the trunks. */
    config_vlan_set_format(&p->trunks, list, sizeof list);
    assert_string_equal(list, "10,20-22,100");

    p = &cfg->ports[1];
    assert_string_equal(p->name, "acc");
    assert_int_equal(p->port_no, 0);
    assert_int_equal(p->xdp_mode, CONFIG_XDP_SKB);
    assert_int_equal(p->zero_copy, CONFIG_ZC_NO);
    assert_int_equal(p->queues, 0);
    assert_int_equal(p->vlan_mode, CONFIG_VLAN_ACCESS);
    assert_int_equal(p->tag, 30);
    config_vlan_set_format(&p->trunks, list, sizeof list);
    assert_string_equal(list, "30");

    /* Same port_no on another bridge is fine; no trunks means all. */
    p = &cfg->ports[2];
    assert_string_equal(p->bridge, "br1");
    assert_int_equal(p->port_no, 7);
    assert_int_equal(p->xdp_mode, CONFIG_XDP_AUTO);
    assert_int_equal(p->zero_copy, CONFIG_ZC_AUTO);
    assert_int_equal(p->vlan_mode, CONFIG_VLAN_NATIVE_TAGGED);
    config_vlan_set_format(&p->trunks, list, sizeof list);
    assert_string_equal(list, "1-4094");

    assert_string_equal(config_log_level_name(g->log_level), "debug");
    assert_string_equal(config_xdp_mode_name(CONFIG_XDP_SKB), "skb");
    assert_string_equal(config_zero_copy_name(CONFIG_ZC_YES), "yes");
    assert_string_equal(config_vlan_mode_name(CONFIG_VLAN_NATIVE_TAGGED),
                        "native-tagged");
    assert_string_equal(config_vlan_mode_name((enum config_vlan_mode) 9), "?");
    config_free(cfg);
}

/* Sections and keys are not case-sensitive; values are; keywords in values
 * are not. */
static void
test_case_rules(void **state)
{
    struct xsw_config *cfg;
    const struct config_port *p;

    (void) state;
    cfg = load_ok("[GLOBAL]\n"
                  "Workers = 2\n"
                  "LOG_LEVEL = WARN\n"
                  "[Bridge.BR0]\n"
                  "Internal_Port = No\n"
                  "[Port.Uplink]\n"
                  "Bridge = Br0\n"
                  "Interface = Eth0\n"
                  "VLAN_Mode = Access\n"
                  "Tag = 3\n"
                  "[port.other]\n"
                  "bridge = br0\n"
                  "interface = eth0\n"
                  "queues = ALL\n");
    assert_int_equal(cfg->global.workers, 2);
    assert_int_equal(cfg->global.log_level, CONFIG_LOG_WARN);
    assert_string_equal(cfg->bridges[0].name, "br0");
    assert_false(cfg->bridges[0].internal_port);
    p = &cfg->ports[0];
    assert_string_equal(p->name, "uplink");
    assert_string_equal(p->bridge, "br0");
    /* Eth0 and eth0 are two interfaces. */
    assert_string_equal(p->interface, "Eth0");
    assert_string_equal(cfg->ports[1].interface, "eth0");
    assert_int_equal(p->vlan_mode, CONFIG_VLAN_ACCESS);

    assert_ptr_equal(config_find_bridge(cfg, "BR0"), &cfg->bridges[0]);
    assert_ptr_equal(config_find_port(cfg, "UPLINK"), p);
    assert_ptr_equal(config_find_interface(cfg, "Eth0"), p);
    assert_ptr_equal(config_find_interface(cfg, "eth0"), &cfg->ports[1]);
    assert_null(config_find_interface(cfg, "ETH0"));
    assert_null(config_find_bridge(cfg, "br1"));
    assert_null(config_find_port(cfg, "br0"));
    config_free(cfg);
}

/* What iniparser does with values: quotes, inline comments, continuation
 * lines, CRLF line ends, [global] after the bridges. */
static void
test_ini_syntax(void **state)
{
    struct xsw_config *cfg;
    char list[64];

    (void) state;
    cfg = load_ok("[bridge.br0]\r\n"
                  "mac_aging = 30  ; below the [global] value\r\n"
                  "[port.p1]\r\n"
                  "  bridge=br0  \r\n"
                  "interface = \"eth0\"   # quoted\r\n"
                  "trunks = 10,\\\r\n"
                  "   20-21\r\n"
                  "[global]\r\n"
                  "socket = \"/run/x;y.sock\"\r\n"
                  "mac_aging = 100\r\n");
    assert_string_equal(cfg->global.socket, "/run/x;y.sock");
    assert_int_equal(cfg->bridges[0].mac_aging, 30);
    assert_int_equal(cfg->bridges[0].mac_table_size, 8192);
    assert_string_equal(cfg->ports[0].interface, "eth0");
    assert_int_equal(cfg->ports[0].line, 3);
    config_vlan_set_format(&cfg->ports[0].trunks, list, sizeof list);
    assert_string_equal(list, "10,20-21");
    config_free(cfg);
}

/* ---------------------------------------------------------------- errors */

struct bad_case {
    const char *name;
    const char *ini;
    const char *expect;         /* a fragment of the message */
};

static const struct bad_case bad_cases[] = {
    /* Syntax */
    { "syntax error names the line", "[global]\nworkers = 1\ngarbage\n",
      ":3: syntax error: 'garbage' is neither [section], key = value nor a "
      "comment" },
    { "key before any section", "workers = 1\n[global]\n",
      ":1: key 'workers' comes before any [section]" },
    { "unclosed section header", "[global\nworkers = 1\n",
      ":1: section header '[global' has no closing ']'" },
    { "empty section name", "[ ]\n", ":1: empty section name []" },
    { "bracket in section name", "[port.[x]\n",
      "section name 'port.[x' contains '[' or ']'" },
    { "no key before =", "[global]\n= 4\n", ":2: '=' with no key before it" },
    { "duplicate key", "[global]\nworkers = 1\nworkers = 2\n",
      ":3: [global] duplicate key 'workers' (first on line 2)" },
    { "duplicate key, other case", "[global]\nworkers = 1\nWORKERS = 2\n",
      ":3: [global] duplicate key 'workers'" },
    { "duplicate section", "[global]\n[global]\n",
      ":2: duplicate section [global] (first on line 1)" },
    { "two bridges differing in case",
      "[bridge.br0]\n[bridge.BR0]\n",
      ":2: duplicate section [bridge.BR0] (first on line 1; section names "
      "are not case-sensitive)" },
    { "file ends in a continuation", "[global]\nworkers = 1\\\n",
      ":2: the file ends in a continued line" },

    /* Sections */
    { "unknown section", "[globl]\n",
      ":1: unknown section [globl]: expected [global], [bridge.NAME] or "
      "[port.NAME]" },
    { "global with a name", "[global.x]\n", "unknown section [global.x]" },
    { "bridge without a name", "[bridge]\n",
      ":1: section [bridge] needs a name: [bridge.NAME]" },
    { "bridge name too long", "[bridge.abcdefghijklmnop]\n",
      "[bridge.abcdefghijklmnop] bridge name 'abcdefghijklmnop' is not a "
      "valid interface name: longer than 15 characters" },
    { "bridge name with a slash", "[bridge.a/b]\n",
      "cannot contain '/', ':', spaces" },
    { "port name with a space", "[port.a b]\n",
      "[port.a b] port name 'a b' is not a valid interface name: cannot "
      "contain" },
    { "port empty name", "[port.]\n",
      "[port.] port name '' is not a valid interface name: empty name" },

    /* Keys */
    { "unknown key, close to a known one", "[global]\nworker = 2\n",
      ":2: [global] unknown key 'worker'; did you mean 'workers'?" },
    { "unknown key", "[global]\nfoo = 1\n",
      ":2: [global] unknown key 'foo' (see xsw.ini(5) for the keys)" },
    { "port key in a bridge", "[bridge.br0]\ntag = 5\n",
      "[bridge.br0] unknown key 'tag': it belongs in [port.NAME]" },
    { "global key in a bridge", "[bridge.br0]\nworkers = 2\n",
      "unknown key 'workers': it belongs in [global]" },
    { "bridge key in a port", "[port.p1]\nmac_aging = 20\n",
      "[port.p1] unknown key 'mac_aging': it belongs in [global] or "
      "[bridge.NAME]" },

    /* Numbers */
    { "workers 0", "[global]\nworkers = 0\n",
      ":2: [global] workers = '0': out of range: expected an integer from 1 "
      "to 64" },
    { "workers 65", "[global]\nworkers = 65\n",
      "workers = '65': out of range: expected an integer from 1 to 64" },
    { "trailing garbage", "[global]\nworkers = 4x\n",
      "workers = '4x': not a decimal integer: expected an integer from 1 to "
      "64" },
    { "negative", "[global]\nmax_flows = -1\n",
      "max_flows = '-1': not a decimal integer" },
    { "hexadecimal", "[global]\nmax_flows = 0x10\n",
      "max_flows = '0x10': not a decimal integer" },
    { "overflow", "[global]\nmax_flows = 99999999999999999999\n",
      "max_flows = '99999999999999999999': out of range: expected an "
      "integer from 1 to 10000000" },
    { "empty value", "[global]\nworkers =\n",
      "workers = '': empty value: expected an integer from 1 to 64" },
    { "umem_frames not a power of two", "[global]\numem_frames = 5000\n",
      "umem_frames = '5000': not a power of two: expected a power of two "
      "from 4096 to 1048576" },
    { "umem_frames too small", "[global]\numem_frames = 2048\n",
      "umem_frames = '2048': out of range" },
    { "frame_size", "[global]\nframe_size = 1024\n",
      "frame_size = '1024': out of range: expected 2048 or 4096" },
    { "emc_entries", "[global]\nemc_entries = 3\n",
      "emc_entries = '3': not a power of two: expected 0 or a power of two "
      "up to 1048576" },
    { "upcall_queue_len", "[global]\nupcall_queue_len = 8\n",
      "upcall_queue_len = '8': out of range" },
    { "emc_insert_inv_prob 0", "[global]\nemc_insert_inv_prob = 0\n",
      "emc_insert_inv_prob = '0': out of range: expected an integer from 1 "
      "to 1000000" },
    { "bridge mac_aging", "[bridge.br0]\nmac_aging = 5\n",
      ":2: [bridge.br0] mac_aging = '5': out of range: expected an integer "
      "from 15 to 3600" },
    { "flow_idle_timeout_ms with a unit",
      "[global]\nflow_idle_timeout_ms = 10s\n",
      "flow_idle_timeout_ms = '10s': not a decimal integer" },

    /* Words and paths */
    { "log_level", "[global]\nlog_level = verbose\n",
      "log_level = 'verbose': expected error, warn, info or debug" },
    { "socket relative", "[global]\nsocket = xswd.sock\n",
      "socket = 'xswd.sock': not an absolute path: expected an absolute "
      "path of at most 107 characters" },
    { "socket too long",
      "[global]\nsocket = /run/xsw/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock\n",
      "socket = '/run/xsw/aaaaaaaaaaaaaaaaaaaaaaaaaaaa...': too long for a "
      "Unix socket" },
    { "internal_port", "[bridge.br0]\ninternal_port = maybe\n",
      "internal_port = 'maybe': expected yes or no" },

    /* Ports */
    { "missing bridge", "[port.p1]\ninterface = eth0\n",
      ":1: [port.p1] missing key 'bridge'" },
    { "missing interface", "[bridge.br0]\n[port.p1]\nbridge = br0\n",
      ":2: [port.p1] missing key 'interface'" },
    { "unknown bridge",
      "[bridge.br0]\n[port.p1]\nbridge = br9\ninterface = eth0\n",
      ":3: [port.p1] bridge = 'br9': there is no section [bridge.br9]" },
    { "interface too long",
      "[port.p1]\ninterface = abcdefghijklmnop\n",
      "interface = 'abcdefghijklmnop': longer than 15 characters: expected "
      "an interface name of 1 to 15 characters" },
    { "interface with a slash", "[port.p1]\ninterface = eth/0\n",
      "interface = 'eth/0': cannot contain '/'" },
    { "interface dot-dot", "[port.p1]\ninterface = ..\n",
      "interface = '..': '.' and '..' are reserved" },
    { "duplicate interface",
      "[bridge.br0]\n[bridge.br1]\n"
      "[port.p1]\nbridge = br0\ninterface = eth0\n"
      "[port.p2]\nbridge = br1\ninterface = eth0\n",
      ":8: [port.p2] interface = 'eth0': already used by [port.p1] on line 3" },
    { "interface is a bridge's internal port",
      "[bridge.br0]\n[port.p1]\nbridge = br0\ninterface = br0\n",
      ":4: [port.p1] interface = 'br0': that is the internal port of "
      "[bridge.br0]" },
    { "port named like a bridge",
      "[bridge.br0]\n[port.BR0]\nbridge = br0\ninterface = eth0\n",
      ":2: [port.BR0] port name 'br0' is already taken by [bridge.br0]" },
    { "duplicate port_no",
      "[bridge.br0]\n"
      "[port.p1]\nbridge = br0\ninterface = eth0\nport_no = 3\n"
      "[port.p2]\nbridge = br0\ninterface = eth1\nport_no = 3\n",
      ":9: [port.p2] port_no = '3': already used by [port.p1] on bridge br0" },
    { "port_no 0", "[port.p1]\nport_no = 0\n",
      "port_no = '0': out of range: expected an integer from 1 to 65535" },
    { "port_no 65536", "[port.p1]\nport_no = 65536\n",
      "port_no = '65536': out of range" },
    { "xdp_mode", "[port.p1]\nxdp_mode = driver\n",
      "xdp_mode = 'driver': expected auto, native or skb" },
    { "zero_copy", "[port.p1]\nzero_copy = maybe\n",
      "zero_copy = 'maybe': expected auto, yes or no" },
    { "zero-copy in skb mode",
      "[bridge.br0]\n[port.p1]\nbridge = br0\ninterface = eth0\n"
      "zero_copy = yes\nxdp_mode = skb\n",
      ":5: [port.p1] zero_copy = 'yes': zero-copy needs xdp_mode native or "
      "auto, not skb" },
    { "queues 0", "[port.p1]\nqueues = 0\n",
      "queues = '0': out of range: expected all or an integer from 1 to 256" },
    { "queues word", "[port.p1]\nqueues = many\n",
      "queues = 'many': neither all nor a decimal integer" },

    /* VLANs */
    { "vlan_mode typo", "[port.p1]\nvlan_mode = acess\n",
      ":2: [port.p1] vlan_mode = 'acess': expected access, trunk, "
      "native-tagged or native-untagged" },
    { "tag on a trunk",
      "[bridge.br0]\n[port.p1]\nbridge = br0\ninterface = eth0\ntag = 10\n",
      ":5: [port.p1] tag = '10': not allowed with vlan_mode trunk" },
    { "access without a tag",
      "[bridge.br0]\n[port.p1]\nbridge = br0\ninterface = eth0\n"
      "vlan_mode = access\n",
      ":5: [port.p1] vlan_mode = access needs a tag (a VLAN ID from 1 to "
      "4094)" },
    { "native-untagged without a tag",
      "[bridge.br0]\n[port.p1]\nbridge = br0\ninterface = eth0\n"
      "vlan_mode = native-untagged\n",
      "vlan_mode = native-untagged needs a tag" },
    { "trunks on an access port",
      "[bridge.br0]\n[port.p1]\nbridge = br0\ninterface = eth0\n"
      "vlan_mode = access\ntag = 10\ntrunks = 10\n",
      ":7: [port.p1] trunks = '10': not allowed with vlan_mode access" },
    { "tag 0", "[port.p1]\ntag = 0\n",
      "tag = '0': out of range: expected a VLAN ID from 1 to 4094" },
    { "tag 4095", "[port.p1]\ntag = 4095\n", "tag = '4095': out of range" },
    { "trunks reversed range", "[port.p1]\ntrunks = 10-5\n",
      "trunks = '10-5': range 10-5 ends before it starts: expected VLAN IDs "
      "(1 to 4094) and ranges, such as 10,20-30" },
    { "trunks 0", "[port.p1]\ntrunks = 0\n",
      "trunks = '0': VLAN 0 is out of range" },
    { "trunks 4095", "[port.p1]\ntrunks = 1,4095\n",
      "trunks = '1,4095': VLAN 4095 is out of range" },
    { "trunks not a number", "[port.p1]\ntrunks = a\n",
      "trunks = 'a': 'a' is not a VLAN ID" },
    { "trunks trailing garbage", "[port.p1]\ntrunks = 10x\n",
      "'10x' is not a VLAN ID" },
    { "trunks empty element", "[port.p1]\ntrunks = 10,,20\n",
      "trunks = '10,,20': empty element in the list" },
    { "trunks trailing comma", "[port.p1]\ntrunks = 10,\n",
      "empty element in the list" },
    { "trunks open range", "[port.p1]\ntrunks = 10-\n",
      "missing VLAN ID after '-'" },
    { "trunks range without a start", "[port.p1]\ntrunks = -10\n",
      "missing VLAN ID before '-'" },
    { "trunks double range", "[port.p1]\ntrunks = 1-2-3\n",
      "unexpected '-' after 2" },
    { "trunks empty", "[port.p1]\ntrunks =\n",
      "trunks = '': empty value" },
};

static void
test_bad_case(void **state)
{
    const struct bad_case *c = *state;
    struct xsw_config *cfg = (struct xsw_config *) 1;
    char path[sizeof TMP_TEMPLATE];
    struct xsw_err err;
    int r;

    xsw_err_clear(&err);
    r = load_text(c->ini, &cfg, &err, path);
    if (r != -EINVAL || !strstr(err.msg, c->expect)
        || strncmp(err.msg, path, strlen(path))) {
        print_error("returned %d, message:\n  %s\nexpected -EINVAL and:\n  "
                    "%s\n", r, err.msg, c->expect);
        fail();
    }
    assert_null(cfg);
}

static void
test_line_too_long(void **state)
{
    struct xsw_config *cfg;
    struct xsw_err err;
    char text[1100];
    int r;

    (void) state;
    snprintf(text, sizeof text, "[global]\nsocket = /%0995d\n", 0);
    r = load_text(text, &cfg, &err, NULL);
    assert_int_equal(r, -EINVAL);
    assert_non_null(strstr(err.msg, ":2: line longer than 1000 characters"));

    /* Trailing blanks count: iniparser's buffer holds them too. */
    memset(text, ' ', sizeof text);
    memcpy(text, "[global]\nworkers = 1", 20);
    strcpy(text + 1050, "\n");
    r = load_text(text, &cfg, &err, NULL);
    assert_int_equal(r, -EINVAL);
    assert_non_null(strstr(err.msg, ":2: line longer than"));
}

static void
test_nul_byte(void **state)
{
    static const char text[] = "[global]\nworkers = 1\n\0\n";
    struct xsw_config *cfg;
    struct xsw_err err;

    (void) state;
    assert_int_equal(load_text_len(text, sizeof text - 1, &cfg, &err, NULL),
                     -EINVAL);
    assert_non_null(strstr(err.msg, ":3: NUL byte"));
}

static void
test_missing_file(void **state)
{
    struct xsw_config *cfg = (struct xsw_config *) 1;
    struct xsw_err err;

    (void) state;
    assert_int_equal(config_load("/nonexistent/xsw.ini", &cfg, &err),
                     -ENOENT);
    assert_null(cfg);
    assert_string_equal(err.msg,
                        "/nonexistent/xsw.ini: No such file or directory");

    assert_int_equal(config_load("/tmp", &cfg, &err), -EINVAL);
    assert_string_equal(err.msg, "/tmp: not a regular file");

    /* A NULL err is allowed. */
    assert_int_equal(config_load("/nonexistent/xsw.ini", &cfg, NULL),
                     -ENOENT);
}

static void
test_long_value_in_message(void **state)
{
    struct xsw_config *cfg;
    struct xsw_err err;

    (void) state;
    assert_int_equal(load_text("[port.p1]\nvlan_mode = "
                               "0123456789012345678901234567890123456789"
                               "0123456789\n", &cfg, &err, NULL), -EINVAL);
    assert_non_null(strstr(err.msg, "vlan_mode = "
                           "'0123456789012345678901234567890123456...': "
                           "expected access"));
}

/* ---------------------------------------------------------------- VLANs */

static void
test_vlan_set(void **state)
{
    struct config_vlan_set set;
    struct config_port port;
    struct xsw_err err;
    char buf[64];

    (void) state;
    assert_int_equal(config_vlan_set_parse(" 1 , 3-5,7 - 7, 4094,2", &set,
                                           &err), 0);
    assert_int_equal(config_vlan_set_format(&set, buf, sizeof buf), 10);
    assert_string_equal(buf, "1-5,7,4094");

    /* Truncated like snprintf, with the needed length returned. */
    assert_int_equal(config_vlan_set_format(&set, buf, 6), 10);
    assert_string_equal(buf, "1-5,7");
    assert_int_equal(config_vlan_set_format(&set, buf, 4), 10);
    assert_string_equal(buf, "1-5");

    memset(&set, 0, sizeof set);
    assert_int_equal(config_vlan_set_format(&set, buf, sizeof buf), 0);
    assert_string_equal(buf, "");

    assert_int_equal(config_vlan_set_parse("4094-1", &set, &err), -EINVAL);
    assert_string_equal(err.msg, "range 4094-1 ends before it starts");
    assert_int_equal(config_vlan_set_parse("", &set, NULL), -EINVAL);

    memset(&port, 0, sizeof port);
    assert_int_equal(config_vlan_set_parse("10,20-30", &port.trunks, &err), 0);
    assert_false(config_vlan_in_trunks(&port, 0));
    assert_false(config_vlan_in_trunks(&port, 9));
    assert_true(config_vlan_in_trunks(&port, 10));
    assert_false(config_vlan_in_trunks(&port, 11));
    assert_true(config_vlan_in_trunks(&port, 20));
    assert_true(config_vlan_in_trunks(&port, 30));
    assert_false(config_vlan_in_trunks(&port, 31));
    assert_false(config_vlan_in_trunks(&port, 4095));
    assert_false(config_vlan_in_trunks(&port, 70000));
}

static void
test_vlan_in_trunks_by_mode(void **state)
{
    struct xsw_config *cfg;
    const struct config_port *p;

    (void) state;
    cfg = load_ok("[bridge.br0]\n"
                  "[port.a]\nbridge = br0\ninterface = a\n"
                  "vlan_mode = access\ntag = 5\n"
                  "[port.t]\nbridge = br0\ninterface = t\n"
                  "[port.n]\nbridge = br0\ninterface = n\n"
                  "vlan_mode = native-untagged\ntag = 99\ntrunks = 10\n");
    p = config_find_port(cfg, "a");
    assert_true(config_vlan_in_trunks(p, 5));
    assert_false(config_vlan_in_trunks(p, 6));
    assert_false(config_vlan_in_trunks(p, 1));
    p = config_find_port(cfg, "t");
    assert_false(config_vlan_in_trunks(p, 0));
    assert_true(config_vlan_in_trunks(p, 1));
    assert_true(config_vlan_in_trunks(p, 4094));
    assert_false(config_vlan_in_trunks(p, 4095));
    p = config_find_port(cfg, "n");
    assert_true(config_vlan_in_trunks(p, 10));
    assert_true(config_vlan_in_trunks(p, 99));
    assert_false(config_vlan_in_trunks(p, 11));
    config_free(cfg);
}

/* ---------------------------------------------------------------- diff */

static const char diff_base[] =
    "[bridge.br0]\n"
    "[bridge.br1]\n"
    "[port.p1]\nbridge = br0\ninterface = eth0\n"
    "[port.p2]\nbridge = br0\ninterface = eth1\nvlan_mode = access\ntag = 10\n"
    "[port.p3]\nbridge = br1\ninterface = eth2\n";

static void
test_diff_same(void **state)
{
    struct xsw_config *a, *b, *def = NULL;
    struct config_diff d;

    (void) state;
    a = load_ok(diff_base);
    /* Written differently, the same config. */
    b = load_ok("[global]\nmac_aging = 300\n"
                "[Bridge.br0]\ninternal_port = yes\n"
                "[bridge.br1]\n"
                "[port.p1]\nbridge = BR0\ninterface = eth0\ntrunks = 1-4094\n"
                "[port.p2]\nbridge = br0\ninterface = eth1\n"
                "vlan_mode = access\ntag = 10\n"
                "[port.p3]\nbridge = br1\ninterface = eth2\nqueues = all\n");
    assert_int_equal(config_diff(a, b, &d), 0);
    assert_int_equal(d.global, 0);
    assert_int_equal(d.n_bridges, 0);
    assert_int_equal(d.n_ports, 0);
    config_diff_free(&d);

    /* From nothing: everything is added. */
    assert_int_equal(config_defaults(&def), 0);
    assert_int_equal(config_diff(def, a, &d), 5);
    for (size_t i = 0; i < d.n_bridges; i++) {
        assert_int_equal(d.bridges[i].kind, CONFIG_ADDED);
        assert_null(d.bridges[i].old_bridge);
    }
    for (size_t i = 0; i < d.n_ports; i++) {
        assert_int_equal(d.ports[i].kind, CONFIG_ADDED);
        assert_ptr_equal(d.ports[i].new_port, &a->ports[i]);
    }
    config_diff_free(&d);
    /* And back: everything is removed. */
    assert_int_equal(config_diff(a, def, &d), 5);
    assert_int_equal(d.bridges[0].kind, CONFIG_REMOVED);
    assert_ptr_equal(d.bridges[0].old_bridge, &a->bridges[0]);
    assert_null(d.bridges[0].new_bridge);
    config_diff_free(&d);
    assert_int_equal(config_diff(def, def, &d), 0);
    assert_null(d.bridges);
    assert_null(d.ports);
    config_diff_free(&d);
    config_free(def);
    config_free(a);
    config_free(b);
}

static void
test_diff_changes(void **state)
{
    struct xsw_config *a, *b;
    struct config_diff d;

    (void) state;
    a = load_ok(diff_base);
    b = load_ok("[global]\nworkers = 2\nlog_level = debug\n"
                "[bridge.br0]\nmac_aging = 60\n"
                "[bridge.br2]\n"
                /* p1: VLANs only */
                "[port.p1]\nbridge = br0\ninterface = eth0\ntrunks = 10\n"
                /* p2: moved to another bridge, new interface */
                "[port.p2]\nbridge = br2\ninterface = eth9\n"
                "vlan_mode = access\ntag = 10\n"
                /* p3 removed, p4 added with p3's interface */
                "[port.p4]\nbridge = br0\ninterface = eth2\n");
    /* 1 (global) + 3 bridges (br1 removed, br0 changed, br2 added) + 4
     * ports (p3 removed, p1 and p2 changed, p4 added). */
    assert_int_equal(config_diff(a, b, &d), 8);
    assert_int_equal(d.global, CONFIG_GLOBAL_WORKERS | CONFIG_GLOBAL_LOG_LEVEL);

    assert_int_equal(d.n_bridges, 3);
    assert_int_equal(d.bridges[0].kind, CONFIG_REMOVED);
    assert_string_equal(d.bridges[0].old_bridge->name, "br1");
    assert_int_equal(d.bridges[1].kind, CONFIG_CHANGED);
    assert_string_equal(d.bridges[1].new_bridge->name, "br0");
    assert_int_equal(d.bridges[1].fields, CONFIG_BRIDGE_MAC_AGING);
    assert_int_equal(d.bridges[2].kind, CONFIG_ADDED);
    assert_string_equal(d.bridges[2].new_bridge->name, "br2");

    assert_int_equal(d.n_ports, 4);
    /* Removals first, so that eth2 is free before p4 takes it. */
    assert_int_equal(d.ports[0].kind, CONFIG_REMOVED);
    assert_string_equal(d.ports[0].old_port->name, "p3");
    assert_int_equal(d.ports[1].kind, CONFIG_CHANGED);
    assert_string_equal(d.ports[1].new_port->name, "p1");
    assert_int_equal(d.ports[1].fields, CONFIG_PORT_TRUNKS);
    assert_true(config_port_change_vlan_only(&d.ports[1]));
    assert_int_equal(d.ports[2].kind, CONFIG_CHANGED);
    assert_string_equal(d.ports[2].new_port->name, "p2");
    assert_int_equal(d.ports[2].fields,
                     CONFIG_PORT_BRIDGE | CONFIG_PORT_INTERFACE);
    assert_false(config_port_change_vlan_only(&d.ports[2]));
    assert_int_equal(d.ports[3].kind, CONFIG_ADDED);
    assert_string_equal(d.ports[3].new_port->name, "p4");
    assert_false(config_port_change_vlan_only(&d.ports[3]));
    config_diff_free(&d);
    assert_null(d.ports);
    config_free(a);
    config_free(b);
}

static void
test_diff_port_fields(void **state)
{
    struct xsw_config *a, *b;
    struct config_diff d;

    (void) state;
    a = load_ok("[bridge.br0]\n"
                "[port.p1]\nbridge = br0\ninterface = eth0\n");
    b = load_ok("[bridge.br0]\n"
                "[port.p1]\nbridge = br0\ninterface = eth0\n"
                "vlan_mode = native-tagged\ntag = 7\n");
    assert_int_equal(config_diff(a, b, &d), 1);
    /* The native VLAN was already in the trunks (all of them). */
    assert_int_equal(d.ports[0].fields, CONFIG_PORT_VLAN_MODE | CONFIG_PORT_TAG);
    assert_true(config_port_change_vlan_only(&d.ports[0]));
    config_diff_free(&d);
    config_free(b);

    b = load_ok("[bridge.br0]\n"
                "[port.p1]\nbridge = br0\ninterface = eth0\nport_no = 4\n"
                "xdp_mode = skb\nzero_copy = no\nqueues = 2\n");
    assert_int_equal(config_diff(a, b, &d), 1);
    assert_int_equal(d.ports[0].fields,
                     CONFIG_PORT_PORT_NO | CONFIG_PORT_XDP_MODE
                     | CONFIG_PORT_ZERO_COPY | CONFIG_PORT_QUEUES);
    assert_false(config_port_change_vlan_only(&d.ports[0]));
    config_diff_free(&d);
    config_free(b);
    config_free(a);
}

/* A [global] bridge default shows as a change of each bridge that does not
 * override it. */
static void
test_diff_inherited(void **state)
{
    struct xsw_config *a, *b;
    struct config_diff d;

    (void) state;
    a = load_ok("[bridge.br0]\n[bridge.br1]\nmac_table_size = 100\n");
    b = load_ok("[global]\nmac_table_size = 200\nsocket = /run/other.sock\n"
                "[bridge.br0]\n[bridge.br1]\nmac_table_size = 100\n"
                "internal_port = no\n");
    assert_int_equal(config_diff(a, b, &d), 3);
    assert_int_equal(d.global,
                     CONFIG_GLOBAL_MAC_TABLE_SIZE | CONFIG_GLOBAL_SOCKET);
    assert_int_equal(d.n_bridges, 2);
    assert_string_equal(d.bridges[0].new_bridge->name, "br0");
    assert_int_equal(d.bridges[0].fields, CONFIG_BRIDGE_MAC_TABLE_SIZE);
    assert_string_equal(d.bridges[1].new_bridge->name, "br1");
    assert_int_equal(d.bridges[1].fields, CONFIG_BRIDGE_INTERNAL_PORT);
    config_diff_free(&d);
    config_free(a);
    config_free(b);
}

int
main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_shipped_ini),
        cmocka_unit_test(test_shipped_ini_uncommented),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_full_config),
        cmocka_unit_test(test_case_rules),
        cmocka_unit_test(test_ini_syntax),
        cmocka_unit_test(test_line_too_long),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_long_value_in_message),
        cmocka_unit_test(test_vlan_set),
        cmocka_unit_test(test_vlan_in_trunks_by_mode),
        cmocka_unit_test(test_diff_same),
        cmocka_unit_test(test_diff_changes),
        cmocka_unit_test(test_diff_port_fields),
        cmocka_unit_test(test_diff_inherited),
    };
    size_t n_fixed = sizeof fixed / sizeof fixed[0];
    size_t n_bad = sizeof bad_cases / sizeof bad_cases[0];
    struct CMUnitTest *tests;
    char (*names)[96];
    int failed;

    /* One test per bad config, named after it, so that TAP shows which. */
    tests = calloc(n_fixed + n_bad, sizeof *tests);
    names = calloc(n_bad, sizeof *names);
    if (!tests || !names) {
        return 1;
    }
    memcpy(tests, fixed, sizeof fixed);
    for (size_t i = 0; i < n_bad; i++) {
        snprintf(names[i], sizeof names[i], "bad config: %s",
                 bad_cases[i].name);
        tests[n_fixed + i] = (struct CMUnitTest) {
            .name = names[i],
            .test_func = test_bad_case,
            .initial_state = (void *) &bad_cases[i],
        };
    }
    failed = _cmocka_run_group_tests("config", tests, n_fixed + n_bad, NULL,
                                     NULL);
    free(tests);
    free(names);
    return failed;
}
