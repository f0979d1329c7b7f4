/* jflat.c - flatten the last JSON document of an NDJSON stream into lines
 * "a.b.3.c<TAB>value" for the VM tests' awk checker (busybox has no JSON
 * tool).  Array elements are numbered from 0; strings are printed without
 * quotes (escapes \" \\ \/ \n \t decoded, \uXXXX kept as is), null as
 * "null", numbers and booleans as written.  Exit 1 on malformed input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *p;           /* parse position */
static char key[4096];          /* dotted path of the current value */

static void bad(void)
{
    fprintf(stderr, "jflat: malformed JSON near: %.40s\n", p);
    exit(1);
}

static void ws(void)
{
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
}

/* Parse a string at p into out (decoded); returns its length. */
static size_t string(char *out, size_t cap)
{
    size_t n = 0;
    if (*p++ != '"')
        bad();
    while (*p && *p != '"') {
        char c = *p++;
        if (c == '\\') {
            c = *p++;
            switch (c) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u': if (n + 1 < cap) out[n++] = '\\'; break;
            case 0: bad(); break;
            default: break;     /* \" \\ \/ */
            }
        }
        if (n + 1 < cap)
            out[n++] = c;
    }
    if (*p++ != '"')
        bad();
    out[n] = 0;
    return n;
}

static void value(size_t klen);

static void push(size_t klen, const char *part)
{
    snprintf(key + klen, sizeof(key) - klen, "%s%s", klen ? "." : "", part);
}

static void object(size_t klen)
{
    char name[512];
    p++;
    ws();
    if (*p == '}') { p++; return; }
    for (;;) {
        ws();
        string(name, sizeof(name));
        ws();
        if (*p++ != ':')
            bad();
        push(klen, name);
        value(strlen(key));
        key[klen] = 0;
        ws();
        if (*p == ',') { p++; continue; }
        if (*p++ != '}')
            bad();
        return;
    }
}

static void array(size_t klen)
{
    char idx[32];
    int i = 0;
    p++;
    ws();
    if (*p == ']') { p++; return; }
    for (;; i++) {
        snprintf(idx, sizeof(idx), "%d", i);
        push(klen, idx);
        value(strlen(key));
        key[klen] = 0;
        ws();
        if (*p == ',') { p++; continue; }
        if (*p++ != ']')
            bad();
        return;
    }
}

static void value(size_t klen)
{
    static char sbuf[65536];
    ws();
    if (*p == '{') {
        object(klen);
    } else if (*p == '[') {
        array(klen);
    } else if (*p == '"') {
        string(sbuf, sizeof(sbuf));
        printf("%s\t%s\n", key, sbuf);
    } else {
        size_t n = strcspn(p, ",}] \t\r\n");
        if (n == 0)
            bad();
        printf("%s\t%.*s\n", key, (int)n, p);
        p += n;
    }
}

int main(void)
{
    char *line = NULL, *last = NULL;
    size_t cap = 0;
    ssize_t n;

    while ((n = getline(&line, &cap, stdin)) > 0) {
        if (strspn(line, " \t\r\n") == (size_t)n)
            continue;
        free(last);
        last = strdup(line);
    }
    free(line);
    if (!last) {
        fputs("jflat: no JSON document on stdin\n", stderr);
        return 1;
    }
    p = last;
    key[0] = 0;
    value(0);
    ws();
    if (*p)
        bad();
    free(last);
    return 0;
}
