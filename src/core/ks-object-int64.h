/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-object-int64.h: 64-bit numbers (report and user ids, placeholder ids
 * below zero) attached to an object by name. A pointer holds only 32 bits on
 * 32-bit systems, so GSIZE_TO_POINTER would cut them short there. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

void   ks_object_set_int64 (gpointer    object,
                            const char *key,
                            gint64      value);
/* 0 when nothing is attached under key. */
gint64 ks_object_get_int64 (gpointer    object,
                            const char *key);

G_END_DECLS
