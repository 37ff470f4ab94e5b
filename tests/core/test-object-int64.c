/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Numbers attached to objects keep all 64 bits, the sign too (placeholder ids
 * are below zero), on every system: they do not pass through a pointer. */
#include "ks-object-int64.h"

static void
test_whole_values (void)
{
  g_autoptr(GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  const gint64 values[] = { -1, -4096, G_MININT64, G_MAXINT64, (G_GINT64_CONSTANT (1) << 40) + 7, 0 };

  g_assert_cmpint (ks_object_get_int64 (object, "id"), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      ks_object_set_int64 (object, "id", values[i]);
      g_assert_cmpint (ks_object_get_int64 (object, "id"), ==, values[i]);
    }
  ks_object_set_int64 (object, "other", -7);
  g_assert_cmpint (ks_object_get_int64 (object, "other"), ==, -7);
  g_assert_cmpint (ks_object_get_int64 (object, "id"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/object-int64/whole-values", test_whole_values);
  return g_test_run ();
}
