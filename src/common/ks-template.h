/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-template.h: filling the {{placeholders}} of template responses.
 *
 * Template responses are canned replies that staff send on a report; their text may
 * hold placeholders such as {{title}} or {{ward}}, filled from the report when the
 * template is used. Shared by the server (which fills them when a template is sent)
 * and the app (which shows a preview). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The placeholder names filled from a report, NULL-terminated:
 * id, title, category, state, council, ward, reporter_name, url. */
const char * const *ks_template_placeholders (void);

/* A table for ks_template_fill(): char* name -> char* value, both owned. */
GHashTable *ks_template_values_new (void);

/* Returns text with each {{name}} (spaces inside the braces allowed) replaced by
 * the value of name in values. Names that values does not hold are left as they
 * are; inserted values are not scanned again. values may be NULL. */
char *ks_template_fill (const char *text,
                        GHashTable *values);

G_END_DECLS
