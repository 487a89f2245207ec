/* config: reads xsw.ini in two passes over the same bytes.
 *
 * iniparser gives the values (quotes, inline comments, continuation lines),
 * but it keeps no line numbers, lets a repeated key silently replace the
 * first one, merges repeated sections, and prints syntax errors on stderr
 * itself.  So a scan of our own runs first: it accepts a subset of what
 * iniparser accepts, rejects everything else with FILE:LINE, and records
 * where each section and key is; only then does iniparser load the file.
 * A stat() before and after catches a file replaced between the two reads. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#ifdef HAVE_INIPARSER_INIPARSER_H
#include <iniparser/iniparser.h>
#else
#include <iniparser.h>
#endif

/* A switch config is a few kilobytes; the cap only stops a wrong path (a
 * disk image, a log) from being read whole. */
#define CONFIG_FILE_MAX (1024 * 1024)

/* iniparser reads a line, continuations included, into a 1024-byte buffer
 * and fails on a longer one; refusing those here first keeps its own
 * message (on stderr, without our context) from ever being needed. */
#define CONFIG_LINE_MAX 1000

/* Values are quoted in messages up to this many characters. */
#define CONFIG_MSG_VALUE_MAX 40

#define CONFIG_QUEUES_MAX 256

/* Enum fields are stored through an int. */
_Static_assert(sizeof(enum config_log_level) == sizeof(int), "enum size");
_Static_assert(sizeof(enum config_xdp_mode) == sizeof(int), "enum size");
_Static_assert(sizeof(enum config_zero_copy) == sizeof(int), "enum size");
_Static_assert(sizeof(enum config_vlan_mode) == sizeof(int), "enum size");

/* ---------------------------------------------------------------- scan */

enum section_kind {
    SECTION_GLOBAL,
    SECTION_BRIDGE,
    SECTION_PORT,
};

struct ini_key {
    char *name;                 /* lower case, as iniparser stores it */
    unsigned int line;
    const char *value;          /* iniparser's, owned by its dictionary */
};

struct ini_section {
    char *name;                 /* lower case, as iniparser stores it */
    char *text;                 /* as written, for messages */
    unsigned int line;
    struct ini_key *keys;
    size_t n_keys;
    size_t cap_keys;
    enum section_kind kind;     /* set once the scan is over */
    const char *obj_name;       /* the NAME of [bridge.NAME], [port.NAME] */
};

struct loader {
    const char *path;
    struct xsw_err *err;
    struct ini_section *sections;
    size_t n_sections;
    size_t cap_sections;
    struct xsw_config *cfg;
    const struct ini_section **port_sections;   /* parallel to cfg->ports */
};

static int __attribute__((format(printf, 4, 5)))
file_error(struct loader *ld, int error, unsigned int line,
           const char *fmt, ...)
{
    char msg[sizeof ld->err->msg];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line) {
        return xsw_err_set(ld->err, error, "%s:%u: %s", ld->path, line, msg);
    }
    return xsw_err_set(ld->err, error, "%s: %s", ld->path, msg);
}

static int __attribute__((format(printf, 4, 5)))
section_error(struct loader *ld, const struct ini_section *sec,
              unsigned int line, const char *fmt, ...)
{
    char msg[sizeof ld->err->msg];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return file_error(ld, EINVAL, line ? line : sec->line, "[%s] %s",
                      sec->text, msg);
}

/* "[port.p1] vlan_mode = 'acess': MSG", the value cut if it is long. */
static int __attribute__((format(printf, 4, 5)))
key_error(struct loader *ld, const struct ini_section *sec,
          const struct ini_key *key, const char *fmt, ...)
{
    char msg[sizeof ld->err->msg];
    const char *v = key->value ? key->value : "";
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (strlen(v) > CONFIG_MSG_VALUE_MAX) {
        return section_error(ld, sec, key->line, "%s = '%.*s...': %s",
                             key->name, CONFIG_MSG_VALUE_MAX - 3, v, msg);
    }
    return section_error(ld, sec, key->line, "%s = '%s': %s", key->name, v,
                         msg);
}

static char *
strip(char *s)
{
    size_t n;

    while (isspace((unsigned char) *s)) {
        s++;
    }
    n = strlen(s);
    while (n && isspace((unsigned char) s[n - 1])) {
        s[--n] = '\0';
    }
    return s;
}

static void
lower(char *s)
{
    for (; *s; s++) {
        *s = tolower((unsigned char) *s);
    }
}

static struct ini_section *
find_section(struct loader *ld, const char *name)
{
    for (size_t i = 0; i < ld->n_sections; i++) {
        if (!strcmp(ld->sections[i].name, name)) {
            return &ld->sections[i];
        }
    }
    return NULL;
}

static const struct ini_key *
find_key(const struct ini_section *sec, const char *name)
{
    for (size_t i = 0; i < sec->n_keys; i++) {
        if (!strcmp(sec->keys[i].name, name)) {
            return &sec->keys[i];
        }
    }
    return NULL;
}

static int
scan_section(struct loader *ld, char *s, unsigned int line)
{
    size_t n = strlen(s);
    struct ini_section *sec, *dup;
    char *text;

    if (s[n - 1] != ']') {
        return file_error(ld, EINVAL, line,
                          "section header '%.*s' has no closing ']'",
                          CONFIG_MSG_VALUE_MAX, s);
    }
    s[n - 1] = '\0';
    text = strip(s + 1);
    if (!*text) {
        return file_error(ld, EINVAL, line, "empty section name []");
    }
    if (strpbrk(text, "[]")) {
        return file_error(ld, EINVAL, line,
                          "section name '%.*s' contains '[' or ']'",
                          CONFIG_MSG_VALUE_MAX, text);
    }
    if (ld->n_sections == ld->cap_sections) {
        size_t cap = ld->cap_sections ? 2 * ld->cap_sections : 8;
        struct ini_section *p = realloc(ld->sections, cap * sizeof *p);

        if (!p) {
            return -ENOMEM;
        }
        ld->sections = p;
        ld->cap_sections = cap;
    }
    sec = &ld->sections[ld->n_sections];
    memset(sec, 0, sizeof *sec);
    sec->line = line;
    sec->text = strdup(text);
    sec->name = strdup(text);
    if (!sec->text || !sec->name) {
        free(sec->text);
        free(sec->name);
        return -ENOMEM;
    }
    lower(sec->name);
    dup = find_section(ld, sec->name);
    if (dup) {
        int r = file_error(ld, EINVAL, line,
                           "duplicate section [%s] (first on line %u%s)",
                           sec->text, dup->line,
                           strcmp(dup->text, sec->text)
                           ? "; section names are not case-sensitive" : "");

        free(sec->text);
        free(sec->name);
        return r;
    }
    ld->n_sections++;
    return 0;
}

static int
scan_key(struct loader *ld, char *s, char *eq, unsigned int line)
{
    struct ini_section *sec;
    const struct ini_key *dup;
    struct ini_key *key;
    char *name;

    *eq = '\0';
    name = strip(s);
    if (!*name) {
        return file_error(ld, EINVAL, line, "'=' with no key before it");
    }
    lower(name);
    if (!ld->n_sections) {
        return file_error(ld, EINVAL, line,
                          "key '%.*s' comes before any [section]",
                          CONFIG_MSG_VALUE_MAX, name);
    }
    sec = &ld->sections[ld->n_sections - 1];
    dup = find_key(sec, name);
    if (dup) {
        return file_error(ld, EINVAL, line,
                          "[%s] duplicate key '%.*s' (first on line %u)",
                          sec->text, CONFIG_MSG_VALUE_MAX, name, dup->line);
    }
    if (sec->n_keys == sec->cap_keys) {
        size_t cap = sec->cap_keys ? 2 * sec->cap_keys : 8;
        struct ini_key *p = realloc(sec->keys, cap * sizeof *p);

        if (!p) {
            return -ENOMEM;
        }
        sec->keys = p;
        sec->cap_keys = cap;
    }
    key = &sec->keys[sec->n_keys];
    key->name = strdup(name);
    if (!key->name) {
        return -ENOMEM;
    }
    key->line = line;
    key->value = NULL;
    sec->n_keys++;
    return 0;
}

/* One logical line, classified as iniparser classifies it. */
static int
scan_line(struct loader *ld, char *s, unsigned int line)
{
    char *eq;

    s = strip(s);
    if (!*s || *s == '#' || *s == ';') {
        return 0;
    }
    if (*s == '[') {
        return scan_section(ld, s, line);
    }
    eq = strchr(s, '=');
    if (!eq) {
        return file_error(ld, EINVAL, line,
                          "syntax error: '%.*s' is neither [section], "
                          "key = value nor a comment",
                          CONFIG_MSG_VALUE_MAX, s);
    }
    return scan_key(ld, s, eq, line);
}

static int
scan(struct loader *ld, const char *buf, size_t len)
{
    char logical[CONFIG_LINE_MAX + 1];
    const char *p = buf, *end = buf + len;
    const char *nul = memchr(buf, '\0', len);
    unsigned int line = 0, first = 0;
    bool continued = false;
    size_t used = 0;
    int r;

    if (nul) {
        for (p = buf, line = 1; p < nul; p++) {
            line += *p == '\n';
        }
        return file_error(ld, EINVAL, line,
                          "NUL byte: this is not a text file");
    }
    while (p < end) {
        const char *nl = memchr(p, '\n', end - p);
        size_t n = nl ? (size_t) (nl - p) : (size_t) (end - p);

        line++;
        if (!continued) {
            first = line;
        }
        /* Measured before the trailing blanks go: iniparser counts them. */
        if (used + n > CONFIG_LINE_MAX) {
            return file_error(ld, EINVAL, first,
                              "line longer than %d characters",
                              CONFIG_LINE_MAX);
        }
        while (n && isspace((unsigned char) p[n - 1])) {
            n--;
        }
        memcpy(logical + used, p, n);
        used += n;
        logical[used] = '\0';
        p = nl ? nl + 1 : end;

        /* A trailing backslash joins the next line, as in iniparser: the
         * backslash goes, the next line's leading blanks stay. */
        if (used && logical[used - 1] == '\\') {
            logical[--used] = '\0';
            continued = true;
            continue;
        }
        continued = false;
        used = 0;
        r = scan_line(ld, logical, first);
        if (r < 0) {
            return r;
        }
    }
    if (continued) {
        return file_error(ld, EINVAL, first,
                          "the file ends in a continued line (a line that "
                          "ends with '\\')");
    }
    return 0;
}

static void
free_sections(struct loader *ld)
{
    for (size_t i = 0; i < ld->n_sections; i++) {
        struct ini_section *sec = &ld->sections[i];

        for (size_t j = 0; j < sec->n_keys; j++) {
            free(sec->keys[j].name);
        }
        free(sec->keys);
        free(sec->name);
        free(sec->text);
    }
    free(ld->sections);
    ld->sections = NULL;
    ld->n_sections = 0;
}

/* ---------------------------------------------------------------- values */

enum key_type {
    KT_UINT,            /* uint32_t in [min, max] */
    KT_POW2,            /* uint32_t, a power of two in [min, max] (or 0) */
    KT_ENUM,            /* int: the index of the value in words[] */
    KT_BOOL,            /* bool */
    KT_IFNAME,          /* char[CONFIG_NAME_SIZE], case kept */
    KT_BRIDGE_NAME,     /* char[CONFIG_NAME_SIZE], lower case */
    KT_SOCKET,          /* char[CONFIG_SOCKET_SIZE], an absolute path */
    KT_VLAN,            /* uint16_t in [CONFIG_VLAN_MIN, CONFIG_VLAN_MAX] */
    KT_VLAN_SET,        /* struct config_vlan_set */
    KT_QUEUES,          /* uint32_t: "all" (0) or [min, max] */
};

struct key_spec {
    const char *name;
    enum key_type type;
    size_t offset;      /* into the struct the section fills */
    uint32_t min;
    uint32_t max;
    const char *const *words;
};

static const char *const log_level_words[] = {
    [CONFIG_LOG_ERROR] = "error",
    [CONFIG_LOG_WARN] = "warn",
    [CONFIG_LOG_INFO] = "info",
    [CONFIG_LOG_DEBUG] = "debug",
    NULL,
};

static const char *const xdp_mode_words[] = {
    [CONFIG_XDP_AUTO] = "auto",
    [CONFIG_XDP_NATIVE] = "native",
    [CONFIG_XDP_SKB] = "skb",
    NULL,
};

static const char *const zero_copy_words[] = {
    [CONFIG_ZC_AUTO] = "auto",
    [CONFIG_ZC_YES] = "yes",
    [CONFIG_ZC_NO] = "no",
    NULL,
};

static const char *const vlan_mode_words[] = {
    [CONFIG_VLAN_ACCESS] = "access",
    [CONFIG_VLAN_TRUNK] = "trunk",
    [CONFIG_VLAN_NATIVE_TAGGED] = "native-tagged",
    [CONFIG_VLAN_NATIVE_UNTAGGED] = "native-untagged",
    NULL,
};

/* Ranges and defaults: keep man/xsw.ini.5 and etc/xsw.ini in step. */
#define G(field) offsetof(struct config_global, field)
static const struct key_spec global_keys[] = {
    { "workers", KT_UINT, G(workers), 1, 64, NULL },
    { "socket", KT_SOCKET, G(socket), 0, 0, NULL },
    { "log_level", KT_ENUM, G(log_level), 0, 0, log_level_words },
    { "umem_frames", KT_POW2, G(umem_frames), 4096, 1048576, NULL },
    { "frame_size", KT_POW2, G(frame_size), 2048, 4096, NULL },
    { "upcall_queue_len", KT_POW2, G(upcall_queue_len), 16, 65536, NULL },
    { "max_flows", KT_UINT, G(max_flows), 1, 10000000, NULL },
    { "emc_entries", KT_POW2, G(emc_entries), 0, 1048576, NULL },
    { "emc_insert_inv_prob", KT_UINT, G(emc_insert_inv_prob), 1, 1000000,
      NULL },
    { "revalidate_interval_ms", KT_UINT, G(revalidate_interval_ms), 10,
      60000, NULL },
    { "flow_idle_timeout_ms", KT_UINT, G(flow_idle_timeout_ms), 100, 3600000,
      NULL },
    { "mac_aging", KT_UINT, G(mac_aging), 15, 3600, NULL },
    { "mac_table_size", KT_UINT, G(mac_table_size), 16, 1048576, NULL },
    { NULL, 0, 0, 0, 0, NULL },
};
#undef G

#define B(field) offsetof(struct config_bridge, field)
static const struct key_spec bridge_keys[] = {
    { "internal_port", KT_BOOL, B(internal_port), 0, 0, NULL },
    { "flow_idle_timeout_ms", KT_UINT, B(flow_idle_timeout_ms), 100, 3600000,
      NULL },
    { "mac_aging", KT_UINT, B(mac_aging), 15, 3600, NULL },
    { "mac_table_size", KT_UINT, B(mac_table_size), 16, 1048576, NULL },
    { NULL, 0, 0, 0, 0, NULL },
};
#undef B

#define P(field) offsetof(struct config_port, field)
static const struct key_spec port_keys[] = {
    { "bridge", KT_BRIDGE_NAME, P(bridge), 0, 0, NULL },
    { "interface", KT_IFNAME, P(interface), 0, 0, NULL },
    { "port_no", KT_UINT, P(port_no), 1, 65535, NULL },
    { "xdp_mode", KT_ENUM, P(xdp_mode), 0, 0, xdp_mode_words },
    { "zero_copy", KT_ENUM, P(zero_copy), 0, 0, zero_copy_words },
    { "queues", KT_QUEUES, P(queues), 1, CONFIG_QUEUES_MAX, NULL },
    { "vlan_mode", KT_ENUM, P(vlan_mode), 0, 0, vlan_mode_words },
    { "tag", KT_VLAN, P(tag), 0, 0, NULL },
    { "trunks", KT_VLAN_SET, P(trunks), 0, 0, NULL },
    { NULL, 0, 0, 0, 0, NULL },
};
#undef P

static const struct {
    const char *section;
    const struct key_spec *keys;
} key_tables[] = {
    [SECTION_GLOBAL] = { "[global]", global_keys },
    [SECTION_BRIDGE] = { "[bridge.NAME]", bridge_keys },
    [SECTION_PORT] = { "[port.NAME]", port_keys },
};

/* Parses a decimal number with nothing around it.  -EINVAL for anything
 * but digits, -ERANGE above UINT32_MAX. */
static int
parse_u32(const char *s, uint32_t *out)
{
    uint64_t v = 0;

    if (!*s) {
        return -EINVAL;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9') {
            return -EINVAL;
        }
        v = v * 10 + (unsigned int) (*s - '0');
        if (v > UINT32_MAX) {
            return -ERANGE;
        }
    }
    *out = v;
    return 0;
}

static bool
is_pow2(uint32_t v)
{
    return v && !(v & (v - 1));
}

/* What a key accepts, as "expected ..." ends every value error. */
static void
describe(const struct key_spec *spec, char *buf, size_t size)
{
    size_t n = 0;

    switch (spec->type) {
    case KT_UINT:
        snprintf(buf, size, "an integer from %u to %u", spec->min,
                 spec->max);
        break;
    case KT_POW2:
        if (!spec->min) {
            snprintf(buf, size, "0 or a power of two up to %u", spec->max);
        } else if (spec->max == 2 * spec->min) {
            snprintf(buf, size, "%u or %u", spec->min, spec->max);
        } else {
            snprintf(buf, size, "a power of two from %u to %u", spec->min,
                     spec->max);
        }
        break;
    case KT_ENUM:
        buf[0] = '\0';
        for (size_t i = 0; spec->words[i] && n < size; i++) {
            const char *sep = !i ? "" : spec->words[i + 1] ? ", " : " or ";

            n += snprintf(buf + n, size - n, "%s%s", sep, spec->words[i]);
        }
        break;
    case KT_BOOL:
        snprintf(buf, size, "yes or no");
        break;
    case KT_IFNAME:
    case KT_BRIDGE_NAME:
        snprintf(buf, size, "an interface name of 1 to %d characters",
                 CONFIG_NAME_SIZE - 1);
        break;
    case KT_SOCKET:
        snprintf(buf, size, "an absolute path of at most %d characters",
                 CONFIG_SOCKET_SIZE - 1);
        break;
    case KT_VLAN:
        snprintf(buf, size, "a VLAN ID from %d to %d", CONFIG_VLAN_MIN,
                 CONFIG_VLAN_MAX);
        break;
    case KT_VLAN_SET:
        snprintf(buf, size, "VLAN IDs (%d to %d) and ranges, such as "
                 "10,20-30", CONFIG_VLAN_MIN, CONFIG_VLAN_MAX);
        break;
    case KT_QUEUES:
        snprintf(buf, size, "all or an integer from %u to %u", spec->min,
                 spec->max);
        break;
    }
}

/* Why S cannot be a Linux interface name (the kernel's dev_valid_name(),
 * restricted to printable ASCII), or NULL if it can. */
static const char *
ifname_problem(const char *s)
{
    if (!*s) {
        return "empty name";
    }
    if (strlen(s) > CONFIG_NAME_SIZE - 1) {
        return "longer than 15 characters";
    }
    if (!strcmp(s, ".") || !strcmp(s, "..")) {
        return "'.' and '..' are reserved";
    }
    for (; *s; s++) {
        if (*s <= ' ' || *s > '~' || *s == '/' || *s == ':') {
            return "cannot contain '/', ':', spaces or non-printable "
                   "characters";
        }
    }
    return NULL;
}

static int
match_word(const char *const *words, const char *s)
{
    for (int i = 0; words[i]; i++) {
        if (!strcasecmp(words[i], s)) {
            return i;
        }
    }
    return -1;
}

/* Parses KEY's value into BASE + spec->offset. */
static int
parse_value(struct loader *ld, const struct ini_section *sec,
            const struct ini_key *key, const struct key_spec *spec,
            void *base)
{
    void *field = (char *) base + spec->offset;
    const char *v = key->value;
    const char *problem = NULL;
    char expected[128];
    uint32_t n = 0;
    int i, r;

    describe(spec, expected, sizeof expected);
    if (!*v) {
        problem = "empty value";
        goto bad;
    }
    switch (spec->type) {
    case KT_UINT:
    case KT_POW2:
        r = parse_u32(v, &n);
        if (r == -EINVAL) {
            problem = "not a decimal integer";
        } else if (r == -ERANGE || n < spec->min || n > spec->max) {
            problem = "out of range";
        } else if (spec->type == KT_POW2 && n && !is_pow2(n)) {
            problem = "not a power of two";
        } else {
            *(uint32_t *) field = n;
            return 0;
        }
        break;
    case KT_QUEUES:
        if (!strcasecmp(v, "all")) {
            *(uint32_t *) field = 0;
            return 0;
        }
        r = parse_u32(v, &n);
        if (r == -EINVAL) {
            problem = "neither all nor a decimal integer";
        } else if (r == -ERANGE || n < spec->min || n > spec->max) {
            problem = "out of range";
        } else {
            *(uint32_t *) field = n;
            return 0;
        }
        break;
    case KT_VLAN:
        r = parse_u32(v, &n);
        if (r == -EINVAL) {
            problem = "not a decimal integer";
        } else if (r == -ERANGE || n < CONFIG_VLAN_MIN
                   || n > CONFIG_VLAN_MAX) {
            problem = "out of range";
        } else {
            *(uint16_t *) field = n;
            return 0;
        }
        break;
    case KT_ENUM:
        i = match_word(spec->words, v);
        if (i >= 0) {
            memcpy(field, &i, sizeof i);
            return 0;
        }
        break;
    case KT_BOOL:
        if (!strcasecmp(v, "yes") || !strcasecmp(v, "true")) {
            *(bool *) field = true;
            return 0;
        }
        if (!strcasecmp(v, "no") || !strcasecmp(v, "false")) {
            *(bool *) field = false;
            return 0;
        }
        break;
    case KT_IFNAME:
    case KT_BRIDGE_NAME:
        problem = ifname_problem(v);
        if (!problem) {
            strcpy(field, v);
            if (spec->type == KT_BRIDGE_NAME) {
                lower(field);
            }
            return 0;
        }
        break;
    case KT_SOCKET:
        if (v[0] != '/') {
            problem = "not an absolute path";
        } else if (strlen(v) > CONFIG_SOCKET_SIZE - 1) {
            problem = "too long for a Unix socket";
        } else {
            strcpy(field, v);
            return 0;
        }
        break;
    case KT_VLAN_SET: {
        struct xsw_err e;

        if (config_vlan_set_parse(v, field, &e) < 0) {
            return key_error(ld, sec, key, "%s: expected %s", e.msg,
                             expected);
        }
        return 0;
    }
    }
bad:
    if (problem) {
        return key_error(ld, sec, key, "%s: expected %s", problem, expected);
    }
    return key_error(ld, sec, key, "expected %s", expected);
}

/* Levenshtein distance, capped: only small typos are worth a suggestion. */
static size_t
edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t row[33];

    if (la > 32 || lb > 32) {
        return SIZE_MAX;
    }
    for (size_t j = 0; j <= lb; j++) {
        row[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];

        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);

            if (up + 1 < best) {
                best = up + 1;
            }
            if (row[j - 1] + 1 < best) {
                best = row[j - 1] + 1;
            }
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static int
unknown_key(struct loader *ld, const struct ini_section *sec,
            const struct ini_key *key)
{
    const struct key_spec *keys = key_tables[sec->kind].keys;
    const char *best = NULL;
    size_t best_d = 3;
    char where[64];
    size_t n_where = 0;

    for (size_t i = 0; keys[i].name; i++) {
        size_t d = edit_distance(key->name, keys[i].name);

        if (d < best_d) {
            best_d = d;
            best = keys[i].name;
        }
    }
    if (best) {
        return section_error(ld, sec, key->line,
                             "unknown key '%.*s'; did you mean '%s'?",
                             CONFIG_MSG_VALUE_MAX, key->name, best);
    }
    /* A key of another kind of section: say which (mac_aging, say, goes in
     * [global] or [bridge.NAME]). */
    for (size_t t = 0; t < sizeof key_tables / sizeof key_tables[0]; t++) {
        for (size_t i = 0; key_tables[t].keys[i].name; i++) {
            if (!strcmp(key->name, key_tables[t].keys[i].name)) {
                const char *sep = n_where ? " or " : "";

                n_where += snprintf(where + n_where, sizeof where - n_where,
                                    "%s%s", sep, key_tables[t].section);
            }
        }
    }
    if (n_where) {
        return section_error(ld, sec, key->line,
                             "unknown key '%s': it belongs in %s", key->name,
                             where);
    }
    return section_error(ld, sec, key->line,
                         "unknown key '%.*s' (see xsw.ini(5) for the keys)",
                         CONFIG_MSG_VALUE_MAX, key->name);
}

static int
parse_section(struct loader *ld, const struct ini_section *sec, void *base)
{
    const struct key_spec *keys = key_tables[sec->kind].keys;

    for (size_t i = 0; i < sec->n_keys; i++) {
        const struct ini_key *key = &sec->keys[i];
        const struct key_spec *spec = NULL;
        int r;

        for (size_t j = 0; keys[j].name; j++) {
            if (!strcmp(keys[j].name, key->name)) {
                spec = &keys[j];
                break;
            }
        }
        if (!spec) {
            return unknown_key(ld, sec, key);
        }
        r = parse_value(ld, sec, key, spec, base);
        if (r < 0) {
            return r;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- build */

static void
set_defaults(struct config_global *g)
{
    memset(g, 0, sizeof *g);
    g->workers = 1;
    snprintf(g->socket, sizeof g->socket, "%s", CONFIG_DEFAULT_SOCKET);
    g->log_level = CONFIG_LOG_INFO;
    g->umem_frames = 16384;
    g->frame_size = 4096;
    g->upcall_queue_len = 1024;
    g->max_flows = 200000;
    g->emc_entries = 8192;
    g->emc_insert_inv_prob = 100;
    g->revalidate_interval_ms = 500;
    g->flow_idle_timeout_ms = 10000;
    g->mac_aging = 300;
    g->mac_table_size = 8192;
}

static void
vlan_set_add(struct config_vlan_set *set, unsigned int vid)
{
    set->bits[vid / 64] |= UINT64_C(1) << (vid % 64);
}

static void
vlan_set_add_range(struct config_vlan_set *set, unsigned int lo,
                   unsigned int hi)
{
    for (unsigned int v = lo; v <= hi; v++) {
        vlan_set_add(set, v);
    }
}

/* Finds what kind each section is and checks its name. */
static int
classify_sections(struct loader *ld, size_t *n_bridges, size_t *n_ports)
{
    *n_bridges = *n_ports = 0;
    for (size_t i = 0; i < ld->n_sections; i++) {
        struct ini_section *sec = &ld->sections[i];
        const char *what, *problem;

        if (!strcmp(sec->name, "global")) {
            sec->kind = SECTION_GLOBAL;
            continue;
        }
        if (!strncmp(sec->name, "bridge.", 7)) {
            sec->kind = SECTION_BRIDGE;
            sec->obj_name = sec->name + 7;
            what = "bridge";
            ++*n_bridges;
        } else if (!strncmp(sec->name, "port.", 5)) {
            sec->kind = SECTION_PORT;
            sec->obj_name = sec->name + 5;
            what = "port";
            ++*n_ports;
        } else if (!strcmp(sec->name, "bridge") || !strcmp(sec->name, "port")) {
            return file_error(ld, EINVAL, sec->line,
                              "section [%s] needs a name: [%s.NAME]",
                              sec->text, sec->name);
        } else {
            return file_error(ld, EINVAL, sec->line,
                              "unknown section [%.*s]: expected [global], "
                              "[bridge.NAME] or [port.NAME]",
                              CONFIG_MSG_VALUE_MAX, sec->text);
        }
        problem = ifname_problem(sec->obj_name);
        if (problem) {
            return section_error(ld, sec, 0, "%s name '%s' is not a valid "
                                 "interface name: %s", what, sec->obj_name,
                                 problem);
        }
    }
    return 0;
}

static int
build_bridge(struct loader *ld, const struct ini_section *sec,
             struct config_bridge *br)
{
    const struct config_global *g = &ld->cfg->global;

    snprintf(br->name, sizeof br->name, "%s", sec->obj_name);
    br->internal_port = true;
    br->flow_idle_timeout_ms = g->flow_idle_timeout_ms;
    br->mac_aging = g->mac_aging;
    br->mac_table_size = g->mac_table_size;
    br->line = sec->line;
    return parse_section(ld, sec, br);
}

/* The checks that need only the port itself. */
static int
build_port(struct loader *ld, const struct ini_section *sec,
           struct config_port *port)
{
    const struct ini_key *mode_key, *tag_key, *trunks_key, *zc_key;
    const char *mode;
    int r;

    snprintf(port->name, sizeof port->name, "%s", sec->obj_name);
    port->xdp_mode = CONFIG_XDP_AUTO;
    port->zero_copy = CONFIG_ZC_AUTO;
    port->vlan_mode = CONFIG_VLAN_TRUNK;
    port->line = sec->line;
    r = parse_section(ld, sec, port);
    if (r < 0) {
        return r;
    }

    if (!find_key(sec, "bridge")) {
        return section_error(ld, sec, 0, "missing key 'bridge' (the "
                             "[bridge.NAME] this port belongs to)");
    }
    if (!find_key(sec, "interface")) {
        return section_error(ld, sec, 0, "missing key 'interface' (the "
                             "host interface to attach, case-sensitive)");
    }

    zc_key = find_key(sec, "zero_copy");
    if (port->zero_copy == CONFIG_ZC_YES && port->xdp_mode == CONFIG_XDP_SKB) {
        return key_error(ld, sec, zc_key, "zero-copy needs xdp_mode native "
                         "or auto, not skb");
    }

    mode_key = find_key(sec, "vlan_mode");
    tag_key = find_key(sec, "tag");
    trunks_key = find_key(sec, "trunks");
    mode = vlan_mode_words[port->vlan_mode];
    if (port->vlan_mode == CONFIG_VLAN_TRUNK) {
        if (tag_key) {
            return key_error(ld, sec, tag_key, "not allowed with vlan_mode "
                             "trunk (only access, native-tagged and "
                             "native-untagged ports have a tag)");
        }
    } else if (!tag_key) {
        return section_error(ld, sec, mode_key->line, "vlan_mode = %s needs "
                             "a tag (a VLAN ID from %d to %d)", mode,
                             CONFIG_VLAN_MIN, CONFIG_VLAN_MAX);
    }
    if (port->vlan_mode == CONFIG_VLAN_ACCESS && trunks_key) {
        return key_error(ld, sec, trunks_key, "not allowed with vlan_mode "
                         "access (an access port carries its tag only)");
    }

    if (!trunks_key) {
        vlan_set_add_range(&port->trunks, CONFIG_VLAN_MIN, CONFIG_VLAN_MAX);
    }
    if (port->vlan_mode == CONFIG_VLAN_ACCESS) {
        memset(&port->trunks, 0, sizeof port->trunks);
    }
    if (port->tag) {
        /* The native VLAN is carried whether the trunks list names it or
         * not, as in OVS. */
        vlan_set_add(&port->trunks, port->tag);
    }
    return 0;
}

/* The checks between ports, and between ports and bridges. */
static int
check_port(struct loader *ld, size_t idx)
{
    const struct xsw_config *cfg = ld->cfg;
    const struct config_port *port = &cfg->ports[idx];
    const struct ini_section *sec = ld->port_sections[idx];
    const struct config_bridge *br;

    br = config_find_bridge(cfg, port->name);
    if (br) {
        return section_error(ld, sec, 0, "port name '%s' is already taken "
                             "by [bridge.%s] (a bridge's internal port has "
                             "its name)", port->name, br->name);
    }
    br = config_find_bridge(cfg, port->bridge);
    if (!br) {
        return key_error(ld, sec, find_key(sec, "bridge"),
                         "there is no section [bridge.%s]", port->bridge);
    }
    for (size_t i = 0; i < cfg->n_bridges; i++) {
        const struct config_bridge *b = &cfg->bridges[i];

        if (b->internal_port && !strcmp(b->name, port->interface)) {
            return key_error(ld, sec, find_key(sec, "interface"),
                             "that is the internal port of [bridge.%s]",
                             b->name);
        }
    }
    for (size_t i = 0; i < idx; i++) {
        const struct config_port *other = &cfg->ports[i];

        if (!strcmp(other->interface, port->interface)) {
            return key_error(ld, sec, find_key(sec, "interface"),
                             "already used by [port.%s] on line %u",
                             other->name, other->line);
        }
        if (port->port_no && other->port_no == port->port_no
            && !strcmp(other->bridge, port->bridge)) {
            return key_error(ld, sec, find_key(sec, "port_no"),
                             "already used by [port.%s] on bridge %s",
                             other->name, port->bridge);
        }
    }
    return 0;
}

static int
build_config(struct loader *ld)
{
    struct xsw_config *cfg;
    size_t n_bridges, n_ports, b = 0, p = 0;
    const struct ini_section *global;
    int r;

    r = classify_sections(ld, &n_bridges, &n_ports);
    if (r < 0) {
        return r;
    }
    cfg = ld->cfg = calloc(1, sizeof *cfg);
    if (!cfg) {
        return -ENOMEM;
    }
    set_defaults(&cfg->global);
    if (n_bridges) {
        cfg->bridges = calloc(n_bridges, sizeof *cfg->bridges);
    }
    if (n_ports) {
        cfg->ports = calloc(n_ports, sizeof *cfg->ports);
        ld->port_sections = calloc(n_ports, sizeof *ld->port_sections);
    }
    if ((n_bridges && !cfg->bridges)
        || (n_ports && (!cfg->ports || !ld->port_sections))) {
        return -ENOMEM;
    }

    /* [global] first, wherever it is: bridges take its values as defaults. */
    global = find_section(ld, "global");
    if (global) {
        r = parse_section(ld, global, &cfg->global);
        if (r < 0) {
            return r;
        }
    }
    for (size_t i = 0; i < ld->n_sections; i++) {
        const struct ini_section *sec = &ld->sections[i];

        if (sec->kind == SECTION_BRIDGE) {
            r = build_bridge(ld, sec, &cfg->bridges[b]);
            cfg->n_bridges = ++b;
        } else if (sec->kind == SECTION_PORT) {
            ld->port_sections[p] = sec;
            r = build_port(ld, sec, &cfg->ports[p]);
            cfg->n_ports = ++p;
        }
        if (r < 0) {
            return r;
        }
    }
    for (size_t i = 0; i < cfg->n_ports; i++) {
        r = check_port(ld, i);
        if (r < 0) {
            return r;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- load */

static int
read_file(struct loader *ld, char **bufp, size_t *lenp, struct stat *st)
{
    char ebuf[128];
    char *buf = NULL;
    FILE *f;
    size_t n;
    int r = 0;

    f = fopen(ld->path, "re");
    if (!f) {
        r = errno;
        return file_error(ld, r, 0, "%s", strerror_r(r, ebuf, sizeof ebuf));
    }
    if (fstat(fileno(f), st) < 0) {
        r = errno;
        r = file_error(ld, r, 0, "%s", strerror_r(r, ebuf, sizeof ebuf));
        goto out;
    }
    if (!S_ISREG(st->st_mode)) {
        r = file_error(ld, EINVAL, 0, "not a regular file");
        goto out;
    }
    if (st->st_size > CONFIG_FILE_MAX) {
        r = file_error(ld, EFBIG, 0, "larger than %d bytes", CONFIG_FILE_MAX);
        goto out;
    }
    /* One byte more than stat() said, to see a file that grew. */
    buf = malloc(st->st_size + 1);
    if (!buf) {
        r = -ENOMEM;
        goto out;
    }
    n = fread(buf, 1, st->st_size + 1, f);
    if (ferror(f)) {
        r = errno ? errno : EIO;
        r = file_error(ld, r, 0, "%s", strerror_r(r, ebuf, sizeof ebuf));
        goto out;
    }
    if (n != (size_t) st->st_size) {
        r = file_error(ld, EAGAIN, 0, "changed while it was being read; "
                       "try again");
        goto out;
    }
    *bufp = buf;
    *lenp = n;
    buf = NULL;
out:
    free(buf);
    fclose(f);
    return r;
}

static bool
same_file_state(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino
           && a->st_size == b->st_size
           && a->st_mtim.tv_sec == b->st_mtim.tv_sec
           && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Takes each value from iniparser's dictionary.  A key that the scan saw
 * and iniparser did not would mean the two disagree on the syntax. */
static int
fetch_values(struct loader *ld, const dictionary *dict)
{
    char entry[2 * CONFIG_LINE_MAX + 2];

    for (size_t i = 0; i < ld->n_sections; i++) {
        struct ini_section *sec = &ld->sections[i];

        for (size_t j = 0; j < sec->n_keys; j++) {
            struct ini_key *key = &sec->keys[j];

            snprintf(entry, sizeof entry, "%s:%s", sec->name, key->name);
            key->value = iniparser_getstring(dict, entry, NULL);
            if (!key->value) {
                return file_error(ld, EINVAL, key->line,
                                  "iniparser cannot read this line");
            }
        }
    }
    return 0;
}

int
config_load(const char *path, struct xsw_config **out, struct xsw_err *err)
{
    struct loader ld = { .path = path, .err = err };
    dictionary *dict = NULL;
    struct stat before, after;
    char *buf = NULL;
    size_t len = 0;
    int r;

    *out = NULL;
    xsw_err_clear(err);
    r = read_file(&ld, &buf, &len, &before);
    if (r < 0) {
        goto out;
    }
    r = scan(&ld, buf, len);
    if (r < 0) {
        goto out;
    }
    dict = iniparser_load(path);
    if (stat(path, &after) < 0 || !same_file_state(&before, &after)) {
        r = file_error(&ld, EAGAIN, 0, "changed while it was being read; "
                       "try again");
        goto out;
    }
    if (!dict) {
        r = file_error(&ld, EIO, 0, "iniparser could not load it");
        goto out;
    }
    r = fetch_values(&ld, dict);
    if (r < 0) {
        goto out;
    }
    r = build_config(&ld);
    if (r < 0) {
        goto out;
    }
    ld.cfg->path = strdup(path);
    if (!ld.cfg->path) {
        r = -ENOMEM;
        goto out;
    }
    *out = ld.cfg;
    ld.cfg = NULL;
out:
    if (r == -ENOMEM) {
        xsw_err_set(err, ENOMEM, "%s: out of memory", path);
    }
    config_free(ld.cfg);
    free(ld.port_sections);
    if (dict) {
        iniparser_freedict(dict);
    }
    free_sections(&ld);
    free(buf);
    return r;
}

int
config_defaults(struct xsw_config **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out) {
        return -ENOMEM;
    }
    set_defaults(&(*out)->global);
    return 0;
}

void
config_free(struct xsw_config *cfg)
{
    if (cfg) {
        free(cfg->path);
        free(cfg->bridges);
        free(cfg->ports);
        free(cfg);
    }
}

const struct config_bridge *
config_find_bridge(const struct xsw_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->n_bridges; i++) {
        if (!strcasecmp(cfg->bridges[i].name, name)) {
            return &cfg->bridges[i];
        }
    }
    return NULL;
}

const struct config_port *
config_find_port(const struct xsw_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->n_ports; i++) {
        if (!strcasecmp(cfg->ports[i].name, name)) {
            return &cfg->ports[i];
        }
    }
    return NULL;
}

const struct config_port *
config_find_interface(const struct xsw_config *cfg, const char *ifname)
{
    for (size_t i = 0; i < cfg->n_ports; i++) {
        if (!strcmp(cfg->ports[i].interface, ifname)) {
            return &cfg->ports[i];
        }
    }
    return NULL;
}

/* ---------------------------------------------------------------- VLANs */

/* One VLAN ID at *p (advanced past it): the token runs to the next
 * separator so that "10x" is reported whole. */
static int
parse_vlan_id(const char **p, unsigned int *vid, struct xsw_err *err)
{
    const char *s = *p;
    size_t n = strcspn(s, ",- \t");
    uint32_t v = 0;

    if (!n) {
        return xsw_err_set(err, EINVAL, *s == '-'
                           ? "missing VLAN ID before '-'"
                           : "missing VLAN ID after '-'");
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return xsw_err_set(err, EINVAL, "'%.*s' is not a VLAN ID",
                               (int) (n > 20 ? 20 : n), s);
        }
        if (v <= CONFIG_VLAN_MAX) {
            v = v * 10 + (unsigned int) (s[i] - '0');
        }
    }
    if (v < CONFIG_VLAN_MIN || v > CONFIG_VLAN_MAX) {
        return xsw_err_set(err, EINVAL, "VLAN %.*s is out of range",
                           (int) (n > 20 ? 20 : n), s);
    }
    *vid = v;
    *p = s + n;
    return 0;
}

static const char *
skip_blanks(const char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    return s;
}

int
config_vlan_set_parse(const char *s, struct config_vlan_set *set,
                      struct xsw_err *err)
{
    const char *p = skip_blanks(s);
    int r;

    memset(set, 0, sizeof *set);
    if (!*p) {
        return xsw_err_set(err, EINVAL, "empty VLAN list");
    }
    for (;;) {
        unsigned int lo, hi;

        p = skip_blanks(p);
        if (*p == ',' || !*p) {
            return xsw_err_set(err, EINVAL, "empty element in the list");
        }
        r = parse_vlan_id(&p, &lo, err);
        if (r < 0) {
            return r;
        }
        hi = lo;
        p = skip_blanks(p);
        if (*p == '-') {
            p = skip_blanks(p + 1);
            r = parse_vlan_id(&p, &hi, err);
            if (r < 0) {
                return r;
            }
            if (hi < lo) {
                return xsw_err_set(err, EINVAL, "range %u-%u ends before it "
                                   "starts", lo, hi);
            }
            p = skip_blanks(p);
        }
        vlan_set_add_range(set, lo, hi);
        if (!*p) {
            return 0;
        }
        if (*p != ',') {
            return xsw_err_set(err, EINVAL, "unexpected '%c' after %u", *p,
                               hi);
        }
        p++;
    }
}

int
config_vlan_set_format(const struct config_vlan_set *set, char *buf,
                       size_t size)
{
    size_t len = 0;

    if (size) {
        buf[0] = '\0';
    }
    for (unsigned int v = 0; v < 4096; v++) {
        unsigned int lo = v;
        char item[16];
        size_t n;

        if (!(set->bits[v / 64] >> (v % 64) & 1)) {
            continue;
        }
        while (v + 1 < 4096 && set->bits[(v + 1) / 64] >> ((v + 1) % 64) & 1) {
            v++;
        }
        if (lo == v) {
            n = snprintf(item, sizeof item, "%s%u", len ? "," : "", lo);
        } else {
            n = snprintf(item, sizeof item, "%s%u-%u", len ? "," : "", lo, v);
        }
        if (len + n < size) {
            memcpy(buf + len, item, n + 1);
        } else if (len < size) {
            memcpy(buf + len, item, size - len - 1);
            buf[size - 1] = '\0';
        }
        len += n;
    }
    return len;
}

/* ---------------------------------------------------------------- diff */

static unsigned int
global_fields(const struct config_global *a, const struct config_global *b)
{
    unsigned int f = 0;

#define DIFF(field, bit) f |= a->field != b->field ? (bit) : 0
    DIFF(workers, CONFIG_GLOBAL_WORKERS);
    DIFF(log_level, CONFIG_GLOBAL_LOG_LEVEL);
    DIFF(umem_frames, CONFIG_GLOBAL_UMEM_FRAMES);
    DIFF(frame_size, CONFIG_GLOBAL_FRAME_SIZE);
    DIFF(upcall_queue_len, CONFIG_GLOBAL_UPCALL_QUEUE_LEN);
    DIFF(max_flows, CONFIG_GLOBAL_MAX_FLOWS);
    DIFF(emc_entries, CONFIG_GLOBAL_EMC_ENTRIES);
    DIFF(emc_insert_inv_prob, CONFIG_GLOBAL_EMC_INSERT_INV_PROB);
    DIFF(revalidate_interval_ms, CONFIG_GLOBAL_REVALIDATE_INTERVAL_MS);
    DIFF(flow_idle_timeout_ms, CONFIG_GLOBAL_FLOW_IDLE_TIMEOUT_MS);
    DIFF(mac_aging, CONFIG_GLOBAL_MAC_AGING);
    DIFF(mac_table_size, CONFIG_GLOBAL_MAC_TABLE_SIZE);
#undef DIFF
    if (strcmp(a->socket, b->socket)) {
        f |= CONFIG_GLOBAL_SOCKET;
    }
    return f;
}

static unsigned int
bridge_fields(const struct config_bridge *a, const struct config_bridge *b)
{
    unsigned int f = 0;

#define DIFF(field, bit) f |= a->field != b->field ? (bit) : 0
    DIFF(internal_port, CONFIG_BRIDGE_INTERNAL_PORT);
    DIFF(flow_idle_timeout_ms, CONFIG_BRIDGE_FLOW_IDLE_TIMEOUT_MS);
    DIFF(mac_aging, CONFIG_BRIDGE_MAC_AGING);
    DIFF(mac_table_size, CONFIG_BRIDGE_MAC_TABLE_SIZE);
#undef DIFF
    return f;
}

static unsigned int
port_fields(const struct config_port *a, const struct config_port *b)
{
    unsigned int f = 0;

#define DIFF(field, bit) f |= a->field != b->field ? (bit) : 0
    DIFF(port_no, CONFIG_PORT_PORT_NO);
    DIFF(xdp_mode, CONFIG_PORT_XDP_MODE);
    DIFF(zero_copy, CONFIG_PORT_ZERO_COPY);
    DIFF(queues, CONFIG_PORT_QUEUES);
    DIFF(vlan_mode, CONFIG_PORT_VLAN_MODE);
    DIFF(tag, CONFIG_PORT_TAG);
#undef DIFF
    if (strcmp(a->bridge, b->bridge)) {
        f |= CONFIG_PORT_BRIDGE;
    }
    if (strcmp(a->interface, b->interface)) {
        f |= CONFIG_PORT_INTERFACE;
    }
    if (memcmp(&a->trunks, &b->trunks, sizeof a->trunks)) {
        f |= CONFIG_PORT_TRUNKS;
    }
    return f;
}

void
config_diff_free(struct config_diff *diff)
{
    free(diff->bridges);
    free(diff->ports);
    memset(diff, 0, sizeof *diff);
}

int
config_diff(const struct xsw_config *old_cfg,
            const struct xsw_config *new_cfg, struct config_diff *diff)
{
    size_t max_bridges = old_cfg->n_bridges + new_cfg->n_bridges;
    size_t max_ports = old_cfg->n_ports + new_cfg->n_ports;

    memset(diff, 0, sizeof *diff);
    if (max_bridges) {
        diff->bridges = calloc(max_bridges, sizeof *diff->bridges);
    }
    if (max_ports) {
        diff->ports = calloc(max_ports, sizeof *diff->ports);
    }
    if ((max_bridges && !diff->bridges) || (max_ports && !diff->ports)) {
        config_diff_free(diff);
        return -ENOMEM;
    }

    diff->global = global_fields(&old_cfg->global, &new_cfg->global);

    for (size_t i = 0; i < old_cfg->n_bridges; i++) {
        const struct config_bridge *ob = &old_cfg->bridges[i];

        if (!config_find_bridge(new_cfg, ob->name)) {
            diff->bridges[diff->n_bridges++] = (struct config_bridge_change) {
                .kind = CONFIG_REMOVED, .old_bridge = ob,
            };
        }
    }
    for (size_t i = 0; i < new_cfg->n_bridges; i++) {
        const struct config_bridge *nb = &new_cfg->bridges[i];
        const struct config_bridge *ob = config_find_bridge(old_cfg, nb->name);
        unsigned int f = ob ? bridge_fields(ob, nb) : 0;

        if (!ob || f) {
            diff->bridges[diff->n_bridges++] = (struct config_bridge_change) {
                .kind = ob ? CONFIG_CHANGED : CONFIG_ADDED, .fields = f,
                .old_bridge = ob, .new_bridge = nb,
            };
        }
    }

    for (size_t i = 0; i < old_cfg->n_ports; i++) {
        const struct config_port *op = &old_cfg->ports[i];

        if (!config_find_port(new_cfg, op->name)) {
            diff->ports[diff->n_ports++] = (struct config_port_change) {
                .kind = CONFIG_REMOVED, .old_port = op,
            };
        }
    }
    for (size_t i = 0; i < new_cfg->n_ports; i++) {
        const struct config_port *np = &new_cfg->ports[i];
        const struct config_port *op = config_find_port(old_cfg, np->name);
        unsigned int f = op ? port_fields(op, np) : 0;

        if (!op || f) {
            diff->ports[diff->n_ports++] = (struct config_port_change) {
                .kind = op ? CONFIG_CHANGED : CONFIG_ADDED, .fields = f,
                .old_port = op, .new_port = np,
            };
        }
    }

    return (int) (diff->n_bridges + diff->n_ports) + (diff->global != 0);
}

/* ---------------------------------------------------------------- names */

static const char *
word(const char *const *words, size_t n, int i)
{
    return i >= 0 && (size_t) i < n - 1 ? words[i] : "?";
}

const char *
config_log_level_name(enum config_log_level level)
{
    return word(log_level_words,
                sizeof log_level_words / sizeof log_level_words[0], level);
}

const char *
config_xdp_mode_name(enum config_xdp_mode mode)
{
    return word(xdp_mode_words,
                sizeof xdp_mode_words / sizeof xdp_mode_words[0], mode);
}

const char *
config_zero_copy_name(enum config_zero_copy zc)
{
    return word(zero_copy_words,
                sizeof zero_copy_words / sizeof zero_copy_words[0], zc);
}

const char *
config_vlan_mode_name(enum config_vlan_mode mode)
{
    return word(vlan_mode_words,
                sizeof vlan_mode_words / sizeof vlan_mode_words[0], mode);
}
