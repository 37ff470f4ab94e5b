/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-media.c: the server's photo store (see ks-media.h). */
#define G_LOG_DOMAIN "ks-media"

#include "http/ks-media.h"
#include "ks-error.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <glib/gstdio.h>

/* Fills buf from getrandom(2), which blocks only until the kernel's pool is
 * first initialised at boot. */
static void
random_bytes (guint8 *buf,
              gsize   len)
{
  gsize got = 0;

  while (got < len)
    {
      ssize_t n = getrandom (buf + got, len - got, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("The kernel's random number generator is not available: %s", g_strerror (errno));
      got += (gsize) n;
    }
}

const char *
ks_media_sniff (const guint8 *data,
                gsize         len)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  if (data == NULL)
    return NULL;
  if (len >= sizeof png + 8 && memcmp (data, png, sizeof png) == 0)
    return "image/png";
  /* SOI then the first marker. */
  if (len >= 4 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "image/jpeg";
  return NULL;
}

gboolean
ks_media_name_is_valid (const char *name)
{
  const char *ext;

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < 32; i++)
    if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
      return FALSE;
  ext = name + 32;
  return strcmp (ext, ".jpeg") == 0 || strcmp (ext, ".png") == 0;
}

const char *
ks_media_content_type (const char *name)
{
  return g_str_has_suffix (name, ".png") ? "image/png" : "image/jpeg";
}

const char *
ks_media_name_from_ref (const char *ref)
{
  if (ref == NULL || !g_str_has_prefix (ref, KS_MEDIA_PREFIX))
    return NULL;
  ref += strlen (KS_MEDIA_PREFIX);
  return ks_media_name_is_valid (ref) ? ref : NULL;
}

gboolean
ks_media_write (const char   *dir,
                const char   *name,
                const guint8 *data,
                gsize         len,
                GError      **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  /* g_file_set_contents writes a temporary file in the same directory and renames
   * it into place, so a reader never sees half a photo. */
  if (!g_file_set_contents_full (path, (const char *) data, (gssize) len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0640, error))
    {
      g_prefix_error (error, "Could not store the photo: ");
      return FALSE;
    }
  return TRUE;
}

char *
ks_media_save (const char   *dir,
               const guint8 *data,
               gsize         len,
               GError      **error)
{
  const char *type = ks_media_sniff (data, len);
  guint8 raw[16];
  GString *name;

  if (type == NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_INVALID,
                   "The photo is not a JPEG or PNG image. Choose a JPEG or PNG file.");
      return NULL;
    }
  if (dir == NULL)
    {
      g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                   "This server has no media directory, so it cannot store photos. "
                   "Ask the administrator to start it with --media DIR.");
      return NULL;
    }
  /* The name is the photo's only secret (anyone who knows it can fetch it while
   * signed in): 128 bits from the kernel's CSPRNG, never GLib's Mersenne Twister,
   * whose next output can be computed from earlier names. */
  random_bytes (raw, sizeof raw);
  name = g_string_sized_new (40);
  for (guint i = 0; i < sizeof raw; i++)
    g_string_append_printf (name, "%02x", raw[i]);
  explicit_bzero (raw, sizeof raw);
  g_string_append (name, strcmp (type, "image/png") == 0 ? ".png" : ".jpeg");
  if (!ks_media_write (dir, name->str, data, len, error))
    {
      g_string_free (name, TRUE);
      return NULL;
    }
  return g_string_free (name, FALSE);
}

GBytes *
ks_media_read (const char *dir,
               const char *name,
               GError    **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) local = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (dir == NULL || !ks_media_name_is_valid (name))
    {
      g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                   "There is no such photo. Refresh the report and try again.");
      return NULL;
    }
  path = g_build_filename (dir, name, NULL);
  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, KS_ERROR, KS_ERROR_NOT_FOUND,
                     "The photo is missing from the server's media directory. Ask the "
                     "administrator to restore it from a backup.");
      else
        g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                     "Could not read the photo: %s", local->message);
      return NULL;
    }
  return g_bytes_new_take (contents, len);
}
