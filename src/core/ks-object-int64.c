/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-object-int64.c: 64-bit numbers attached to an object by name, each in a
 * small block of its own that the object frees. */
#include "ks-object-int64.h"

void
ks_object_set_int64 (gpointer    object,
                     const char *key,
                     gint64      value)
{
  g_return_if_fail (G_IS_OBJECT (object));
  g_object_set_data_full (G_OBJECT (object), key, g_memdup2 (&value, sizeof value), g_free);
}

gint64
ks_object_get_int64 (gpointer    object,
                     const char *key)
{
  const gint64 *value;

  g_return_val_if_fail (G_IS_OBJECT (object), 0);
  value = g_object_get_data (G_OBJECT (object), key);
  return value != NULL ? *value : 0;
}
