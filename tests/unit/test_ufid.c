/* ufid and strbuf: the small shared pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "strbuf.h"
#include "ufid.h"

static void
test_ufid_roundtrip(void **state)
{
    const char *text = "ufid:1b3ae4a5-7f28-4b33-9a3e-2e1f0c4d5e6f";
    struct ufid u;
    char buf[UFID_STRLEN];

    (void) state;
    assert_int_equal(ufid_parse(text, &u), 41);
    assert_int_equal(u.u32[0], 0x1b3ae4a5);
    assert_int_equal(u.u32[1], 0x7f284b33);
    assert_int_equal(u.u32[2], 0x9a3e2e1f);
    assert_int_equal(u.u32[3], 0x0c4d5e6f);
    ufid_to_string(&u, buf);
    assert_string_equal(buf, text);
}

static void
test_ufid_upper_case_accepted(void **state)
{
    struct ufid u;
    char buf[UFID_STRLEN];

    (void) state;
    assert_int_equal(ufid_parse("ufid:1B3AE4A5-7F28-4B33-9A3E-2E1F0C4D5E6F,x", &u), 41);
    ufid_to_string(&u, buf);
    assert_string_equal(buf, "ufid:1b3ae4a5-7f28-4b33-9a3e-2e1f0c4d5e6f");
}

static void
test_ufid_rejects(void **state)
{
    static const char *bad[] = {
        "1b3ae4a5-7f28-4b33-9a3e-2e1f0c4d5e6f",         /* no prefix */
        "ufid:1b3ae4a5-7f28-4b33-9a3e-2e1f0c4d5e6",     /* short */
        "ufid:1b3ae4a5-7f28-4b33-9a3e-2e1f0c4d5e6f0",   /* long */
        "ufid:1b3ae4a5_7f28-4b33-9a3e-2e1f0c4d5e6f",    /* separator */
        "ufid:1b3ae4a5-7f28-4b33-9a3e-2e1f-c4d5e6f",    /* dash in last block */
        "ufid:zb3ae4a5-7f28-4b33-9a3e-2e1f0c4d5e6f",    /* not hex */
        "ufid:",
        "",
    };
    struct ufid u;

    (void) state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(ufid_parse(bad[i], &u), 0);
    }
}

static void
test_strbuf(void **state)
{
    struct strbuf sb;
    char *s;

    (void) state;
    strbuf_init(&sb);
    assert_string_equal(strbuf_cstr(&sb), "");
    for (int i = 0; i < 100; i++) {
        strbuf_printf(&sb, "%d,", i);
    }
    strbuf_chomp(&sb, ',');
    assert_int_equal(sb.len, strlen(sb.s));
    assert_memory_equal(sb.s + sb.len - 5, "98,99", 5);
    strbuf_reset(&sb);
    strbuf_put_mac(&sb, (const unsigned char *) "\x00\x02\xe3\x0f\x80\xa4");
    strbuf_putc(&sb, ' ');
    strbuf_put_hex(&sb, "\x01\xab", 2);
    assert_string_equal(strbuf_cstr(&sb), "00:02:e3:0f:80:a4 01ab");
    assert_false(strbuf_failed(&sb));
    s = strbuf_steal(&sb);
    assert_string_equal(s, "00:02:e3:0f:80:a4 01ab");
    assert_string_equal(strbuf_cstr(&sb), "");
    free(s);
    strbuf_free(&sb);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ufid_roundtrip),
        cmocka_unit_test(test_ufid_upper_case_accepted),
        cmocka_unit_test(test_ufid_rejects),
        cmocka_unit_test(test_strbuf),
    };

    return cmocka_run_group_tests_name("ufid", tests, NULL, NULL);
}
