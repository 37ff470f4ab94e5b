/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-search-words.c: the words of a text search, each with its shift table for
 * a case-blind Boyer-Moore-Horspool scan of ASCII text.
 *
 * A search passes over every report's title and detail (with 500,000
 * reports, about 100 MB of text). Finding each occurrence of a word's first
 * letter, in either case, and comparing from there stopped at every 's' or
 * 't' of English text: most of a search's time. Horspool looks at the byte
 * under the word's last letter and, when it cannot end the word there,
 * moves by up to the word's length. Written by hand: strcasestr() follows
 * the locale's case rules (a Turkish locale lowers 'I' to a dotless i) where
 * the folded text lowers ASCII letters alone, and a regular expression
 * library costs more to call, per field, than the scan of a short text. */
#include "ks-search-words.h"

#include <string.h>

typedef struct {
  char     *text;       /* folded */
  gsize     len;
  gboolean  number;
  guint8    shift[256]; /* how far the word may move on the byte under its last */
} Word;

struct _KsSearchWords {
  guint n;
  Word  word[];
};

static inline guint8
lower (guint8 c)
{
  return c >= 'A' && c <= 'Z' ? (guint8) (c + ('a' - 'A')) : c;
}

static inline guint8
upper (guint8 c)
{
  return c >= 'a' && c <= 'z' ? (guint8) (c - ('a' - 'A')) : c;
}

static void
word_init (Word       *w,
           const char *text)
{
  const guint8 *p = (const guint8 *) text;

  w->text = g_strdup (text);
  w->len = strlen (text);
  w->number = TRUE;
  for (gsize i = 0; i < w->len; i++)
    if (p[i] < '0' || p[i] > '9')
      w->number = FALSE;
  /* A shift never larger than a safe one (a byte holds at most 255). */
  memset (w->shift, (int) MIN (w->len, 255), sizeof w->shift);
  for (gsize i = 0; i + 1 < w->len; i++)
    {
      guint8 s = (guint8) MIN (w->len - 1 - i, 255);

      w->shift[lower (p[i])] = s;
      w->shift[upper (p[i])] = s;
    }
}

KsSearchWords *
ks_search_words_new (char * const *words)
{
  KsSearchWords *self;
  guint n = 0;

  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    if (words[i][0] != '\0')
      n++;
  self = g_malloc (sizeof (KsSearchWords) + n * sizeof (Word));
  self->n = 0;
  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    if (words[i][0] != '\0')
      word_init (&self->word[self->n++], words[i]);
  return self;
}

void
ks_search_words_free (KsSearchWords *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n; i++)
    g_free (self->word[i].text);
  g_free (self);
}

guint
ks_search_words_get_n (const KsSearchWords *self)
{
  return self->n;
}

const char *
ks_search_words_get (const KsSearchWords *self,
                     guint                i)
{
  g_return_val_if_fail (i < self->n, NULL);
  return self->word[i].text;
}

gboolean
ks_search_words_is_number (const KsSearchWords *self,
                           guint                i)
{
  g_return_val_if_fail (i < self->n, FALSE);
  return self->word[i].number;
}

gboolean
ks_search_words_in_ascii (const KsSearchWords *self,
                          guint                i,
                          const char          *text)
{
  const Word *w;
  const guint8 *t = (const guint8 *) text;
  const guint8 *p;
  gsize n, m;
  guint8 last;

  g_return_val_if_fail (i < self->n, FALSE);
  w = &self->word[i];
  p = (const guint8 *) w->text;
  m = w->len;
  if (m == 1)
    {
      /* One letter: any place it is, in either case. */
      const char set[3] = { (char) p[0], (char) upper (p[0]), '\0' };

      return strpbrk (text, set) != NULL;
    }
  n = strlen (text);
  if (m > n)
    return FALSE;
  last = p[m - 1];
  for (gsize at = 0; at + m <= n; at += w->shift[t[at + m - 1]])
    if (lower (t[at + m - 1]) == last)
      {
        gsize k = 0;

        while (k + 1 < m && lower (t[at + k]) == p[k])
          k++;
        if (k + 1 == m)
          return TRUE;
      }
  return FALSE;
}
