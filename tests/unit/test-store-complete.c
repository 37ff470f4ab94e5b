/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-complete.c: every store implements every operation: no entry of a
 * store's tables (KsStoreClass and its domain tables) is left empty, which would
 * crash the server on the first request that needs it. */
#include "config.h"
#include "store/ks-store.h"
#include "sqlite/ks-sqlite-store.h"
#if HAVE_POSTGRESQL
#include "postgres/ks-pg-store.h"
#endif

#include <stddef.h>

/* Checks size bytes at offset of klass as function pointers. */
static void
check_table (KsStoreClass *klass,
             const char   *store,
             const char   *table,
             gsize         offset,
             gsize         size)
{
  gpointer *entries = (gpointer *) ((char *) klass + offset);

  g_assert_cmpuint (size % sizeof (gpointer), ==, 0);
  for (gsize i = 0; i < size / sizeof (gpointer); i++)
    if (entries[i] == NULL)
      g_error ("%s store: entry %" G_GSIZE_FORMAT " of its %s table is empty", store, i, table);
}

static void
check_store (gconstpointer data)
{
  GType type = GPOINTER_TO_SIZE (data);
  KsStoreClass *klass = g_type_class_ref (type);
  const char *name = g_type_name (type);

#define CHECK(member) check_table (klass, name, #member, G_STRUCT_OFFSET (KsStoreClass, member), \
                                   sizeof (((KsStoreClass *) NULL)->member))
  /* The class's own operations, from begin_write to housekeeping. */
  check_table (klass, name, "class", G_STRUCT_OFFSET (KsStoreClass, begin_write),
               G_STRUCT_OFFSET (KsStoreClass, auth) - G_STRUCT_OFFSET (KsStoreClass, begin_write));
  CHECK (auth);
  CHECK (reports);
  CHECK (actions);
  CHECK (admin);
  CHECK (open311);
  CHECK (privacy);
  CHECK (duplicates);
#undef CHECK
  g_type_class_unref (klass);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/store/complete/sqlite", GSIZE_TO_POINTER (KS_TYPE_SQLITE_STORE), check_store);
#if HAVE_POSTGRESQL
  g_test_add_data_func ("/store/complete/postgresql", GSIZE_TO_POINTER (KS_TYPE_PG_STORE), check_store);
#endif
  return g_test_run ();
}
