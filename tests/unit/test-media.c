/* test-media.c: the server's photo names: their shape, that they do not repeat,
 * and that they come from the kernel's CSPRNG rather than GLib's seeded
 * generator (whose outputs repeat after the same seed and can be predicted
 * from earlier ones). */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "http/ks-media.h"

static const guint8 png[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
  0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0
};

static char *
save (const char *dir)
{
  g_autoptr(GError) error = NULL;
  char *name = ks_media_save (dir, png, sizeof png, &error);

  g_assert_no_error (error);
  g_assert_nonnull (name);
  return name;
}

static void
test_names (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kerbside-media-XXXXXX", NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) listing = NULL;
  guint counts[16] = { 0 };
  guint n = 300;
  const char *entry;

  g_assert_nonnull (dir);
  for (guint i = 0; i < n; i++)
    {
      char *name = save (dir);

      /* 32 lower-case hex digits and the type's extension. */
      g_assert_true (ks_media_name_is_valid (name));
      g_assert_cmpuint (strlen (name), ==, 32 + strlen (".png"));
      g_assert_true (g_str_has_suffix (name, ".png"));
      for (guint j = 0; j < 32; j++)
        counts[g_ascii_xdigit_value (name[j])]++;
      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, name);
    }
  /* Every hex digit is about equally common (9,600 digits: 600 each, give or
   * take 24). */
  for (guint d = 0; d < 16; d++)
    g_assert_cmpuint (counts[d], >, 450);

  /* After the same seed, GLib's generator gives the same numbers again: the
   * names must not follow it. */
  g_random_set_seed (42);
  {
    g_autofree char *a = save (dir);
    g_random_set_seed (42);
    g_autofree char *b = save (dir);
    g_test_message ("after the same seed: %s and %s", a, b);
    g_assert_cmpstr (a, !=, b);
  }

  listing = g_dir_open (dir, 0, NULL);
  while ((entry = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/media/names", test_names);
  return g_test_run ();
}
