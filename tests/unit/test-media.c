/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-media.c: the server's photo names: their shape, that they do not repeat,
 * and that they come from the kernel's CSPRNG rather than GLib's seeded
 * generator (whose outputs repeat after the same seed and can be predicted
 * from earlier ones); which names and photo references the server takes, and
 * the type read from a photo's first bytes (http/ks-media.c). */
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

/* Which names the server takes: 32 lower-case hex digits and .png or .jpeg. */
static void
test_name_rules (void)
{
  static const char *const good[] = {
    "0123456789abcdef0123456789abcdef.png", "ffffffffffffffffffffffffffffffff.jpeg",
  };
  static const char *const bad[] = {
    "", "0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef.jpg",
    "0123456789ABCDEF0123456789abcdef.png", "0123456789abcdef0123456789abcde.png",
    "0123456789abcdef0123456789abcdef0.png", "0123456789abcdef0123456789abcdef.png.png",
    "../23456789abcdef0123456789abcdef.png", "0123456789abcdef0123456789abcdef.PNG",
    "0123456789abcdef0123456789abcdef.png/", "g123456789abcdef0123456789abcdef.png",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (ks_media_name_is_valid (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("refused: %s", bad[i]);
      g_assert_false (ks_media_name_is_valid (bad[i]));
    }
  g_assert_false (ks_media_name_is_valid (NULL));
  g_assert_cmpstr (ks_media_content_type (good[0]), ==, "image/png");
  g_assert_cmpstr (ks_media_content_type (good[1]), ==, "image/jpeg");
}

/* A photo reference in a report is KS_MEDIA_PREFIX and a valid name. */
static void
test_name_from_ref (void)
{
  const char *ref = "/api/v1/media/0123456789abcdef0123456789abcdef.jpeg";

  g_assert_cmpstr (ks_media_name_from_ref (ref), ==, "0123456789abcdef0123456789abcdef.jpeg");
  g_assert_null (ks_media_name_from_ref ("/api/v1/media/../etc/passwd"));
  g_assert_null (ks_media_name_from_ref ("/api/v1/media/"));
  g_assert_null (ks_media_name_from_ref ("/api/v2/media/0123456789abcdef0123456789abcdef.jpeg"));
  g_assert_null (ks_media_name_from_ref ("https://example.org/0123456789abcdef0123456789abcdef.jpeg"));
  g_assert_null (ks_media_name_from_ref (NULL));
}

/* The type is read from the first bytes, not taken from the client. */
static void
test_sniff (void)
{
  static const guint8 jpeg[] = { 0xff, 0xd8, 0xff, 0xe0 };
  static const guint8 gif[] = { 'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0, 0, 0, 0 };

  g_assert_cmpstr (ks_media_sniff (png, sizeof png), ==, "image/png");
  g_assert_cmpstr (ks_media_sniff (jpeg, sizeof jpeg), ==, "image/jpeg");
  /* A PNG signature with nothing after it, a cut JPEG, other types, nothing. */
  g_assert_null (ks_media_sniff (png, 8));
  g_assert_null (ks_media_sniff (jpeg, 3));
  g_assert_null (ks_media_sniff (gif, sizeof gif));
  g_assert_null (ks_media_sniff (NULL, 0));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/media/names", test_names);
  g_test_add_func ("/media/name-rules", test_name_rules);
  g_test_add_func ("/media/name-from-ref", test_name_from_ref);
  g_test_add_func ("/media/sniff", test_sniff);
  return g_test_run ();
}
