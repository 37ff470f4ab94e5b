/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-form.h: application/x-www-form-urlencoded bodies, keeping every pair.
 *
 * Unlike a hash table of fields, a KsForm keeps repeated keys and their order,
 * as Open311 needs for multi-valued attributes ("attribute[CODE][]=a&attribute[CODE][]=b"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KsForm KsForm;

/* Parses data ('+' is a space, %XX escapes). Fails with KS_ERROR_INVALID when an
 * escape is malformed, a key or value is not UTF-8 or holds a NUL, or there are
 * more than max_pairs pairs (0: no limit). data may be NULL (an empty form). */
KsForm     *ks_form_parse   (const char *data,
                             gsize       len,
                             guint       max_pairs,
                             GError    **error);
void        ks_form_free    (KsForm *form);

guint       ks_form_size    (const KsForm *form);
const char *ks_form_key     (const KsForm *form, guint i);
const char *ks_form_value   (const KsForm *form, guint i);
/* The first value of key, or NULL. */
const char *ks_form_get     (const KsForm *form, const char *key);
/* How many pairs have this key. */
guint       ks_form_count   (const KsForm *form, const char *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KsForm, ks_form_free)

G_END_DECLS
