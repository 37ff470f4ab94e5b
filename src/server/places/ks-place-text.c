/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-place-text.c: folding place names and what people type (see ks-place-text.h). */
#include "places/ks-place-text.h"

#include <string.h>

char *
ks_place_text_key (const char *s)
{
  g_autofree char *decomposed = NULL;
  GString *out;
  gboolean space = FALSE;

  if (s == NULL || !g_utf8_validate (s, -1, NULL))
    return g_strdup ("");
  decomposed = g_utf8_normalize (s, -1, G_NORMALIZE_NFKD);
  out = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      if (g_unichar_isalnum (c))
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_unichar (out, g_unichar_tolower (c));
        }
      else
        space = TRUE;
    }
  return g_string_free (out, FALSE);
}

char *
ks_place_text_compact (const char *key)
{
  GString *out = g_string_sized_new (strlen (key));

  for (const char *p = key; *p; p++)
    if (*p != ' ')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

gboolean
ks_place_query_init (KsPlaceQuery *q,
                     const char   *text)
{
  g_autofree char *key = ks_place_text_key (text);
  g_auto(GStrv) words = NULL;
  guint n;

  memset (q, 0, sizeof *q);
  if (*key == '\0')
    return FALSE;
  words = g_strsplit (key, " ", -1);
  n = g_strv_length (words);
  if (n > KS_PLACE_QUERY_MAX_WORDS)
    {
      for (guint i = KS_PLACE_QUERY_MAX_WORDS; i < n; i++)
        g_clear_pointer (&words[i], g_free);
    }
  q->words = g_steal_pointer (&words);
  q->key = g_strjoinv (" ", q->words);
  q->compact = ks_place_text_compact (q->key);
  return TRUE;
}

void
ks_place_query_clear (KsPlaceQuery *q)
{
  g_clear_pointer (&q->words, g_strfreev);
  g_clear_pointer (&q->key, g_free);
  g_clear_pointer (&q->compact, g_free);
}

/* The outward code (2 to 4 characters: a letter, then letters and digits with a
 * digit among them) and the inward code (a digit and two letters). */
static gboolean
postcode_compact (const char *c, gsize len)
{
  gsize out_len;
  gboolean digit = FALSE;

  if (len < 5 || len > 7)
    return FALSE;
  out_len = len - 3;
  if (!g_ascii_isalpha (c[0]))
    return FALSE;
  for (gsize i = 1; i < out_len; i++)
    {
      if (!g_ascii_isalnum (c[i]))
        return FALSE;
      digit |= g_ascii_isdigit (c[i]);
    }
  return digit && g_ascii_isdigit (c[out_len]) && g_ascii_isalpha (c[out_len + 1]) &&
         g_ascii_isalpha (c[out_len + 2]);
}

gboolean
ks_place_text_is_postcode (const char *s)
{
  g_autofree char *key = ks_place_text_key (s);
  g_autofree char *compact = ks_place_text_compact (key);
  guint spaces = 0;

  for (const char *p = key; *p; p++)
    spaces += *p == ' ';
  return spaces <= 1 && postcode_compact (compact, strlen (compact));
}

/* "12A High Street" -> "High Street"; "Flat 3, ..." parts stay as they are. */
static char *
without_house_number (const char *part)
{
  const char *p = part;

  while (g_ascii_isspace (*p))
    p++;
  if (!g_ascii_isdigit (*p))
    return g_strstrip (g_strdup (p));
  while (g_ascii_isalnum (*p) || *p == '-' || *p == '/')
    p++;
  return g_strstrip (g_strdup (p));
}

GStrv
ks_place_text_address_candidates (const char *address)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree char *key = NULL;

  if (address == NULL)
    return g_strv_builder_end (b);

  /* A postcode anywhere: one word of 5 to 7 characters, or two words (outward
   * and inward code) next to each other. */
  key = ks_place_text_key (address);
  words = g_strsplit (key, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i + 1] != NULL)
        {
          g_autofree char *pair = g_strconcat (words[i], words[i + 1], NULL);

          if (strlen (words[i + 1]) == 3 && postcode_compact (pair, strlen (pair)))
            {
              g_autofree char *postcode = g_strconcat (words[i], " ", words[i + 1], NULL);

              g_strv_builder_add (b, postcode);
              break;
            }
        }
      if (postcode_compact (words[i], strlen (words[i])))
        {
          g_strv_builder_add (b, words[i]);
          break;
        }
    }

  parts = g_strsplit (address, ",", 6);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *part = without_house_number (parts[i]);
      g_autofree char *part_key = ks_place_text_key (part);

      if (*part_key != '\0' && !ks_place_text_is_postcode (part))
        g_strv_builder_add (b, part);
    }
  return g_strv_builder_end (b);
}
