/* fields.c - field metadata from the MT_FIELDS table. */
#include "config.h"

#include "sample/fields.h"

#include <string.h>

static const struct {
    const char *key;
    MtUnit unit;
} field_info[MT_F_COUNT] = {
#define MT_X_INFO(id, key, unit) { key, unit },
    MT_FIELDS(MT_X_INFO)
#undef MT_X_INFO
};

const char *field_key(MtField f)
{
    return f < MT_F_COUNT ? field_info[f].key : "?";
}

MtUnit field_unit(MtField f)
{
    return f < MT_F_COUNT ? field_info[f].unit : MT_U_COUNT;
}

int field_by_key(const char *key)
{
    for (int i = 0; i < MT_F_COUNT; i++)
        if (strcmp(field_info[i].key, key) == 0)
            return i;
    return -1;
}
