/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-search-words.c: the search's case-blind scan of ASCII text gives the
 * answer of a plain search in a lowered copy, for chosen cases and for many
 * random texts and words. */
#define G_LOG_DOMAIN "test-search-words"

#include "ks-search-words.h"

#include <string.h>

/* The answer by the plain means: ASCII letters lowered, then strstr(). */
static gboolean
plain_find (const char *text, const char *word)
{
  g_autofree char *lowered = g_ascii_strdown (text, -1);

  return strstr (lowered, word) != NULL;
}

static gboolean
scan (const char *word, const char *text)
{
  char *words[] = { (char *) word, NULL };
  g_autoptr(KsSearchWords) sw = ks_search_words_new (words);

  g_assert_cmpuint (ks_search_words_get_n (sw), ==, 1);
  return ks_search_words_in_ascii (sw, 0, text);
}

static void
test_chosen (void)
{
  static const struct { const char *word, *text; gboolean found; } cases[] = {
    { "street", "Broken STREET light", TRUE },
    { "street", "Street light out", TRUE },        /* at the start */
    { "light", "Broken street LIGHT", TRUE },      /* at the end */
    { "light", "Broken street ligh", FALSE },      /* cut short at the end */
    { "lights", "light", FALSE },                  /* longer than the text */
    { "aab", "aaab", TRUE },                       /* a false start first */
    { "abab", "abaabab", TRUE },
    { "s", "no S here... yes", TRUE },
    { "z", "nothing", FALSE },
    { "s", "", FALSE },
    { "st", "S", FALSE },
    { "st", "East", TRUE },
    { "a-1", "Bay A-1 blocked", TRUE },            /* not letters: as they are */
    { "caf\xc3\xa9", "Cafe", FALSE },              /* beyond ASCII: never in ASCII text */
    { "[", "x[y", TRUE },
    { "@", "x`y", FALSE },                         /* '@' and '`' are not a case pair */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s in %s", cases[i].word, cases[i].text);
      g_assert_cmpint (scan (cases[i].word, cases[i].text), ==, cases[i].found);
    }
}

/* A word of 300 letters: its shifts are capped at a byte's 255, still safe. */
static void
test_long_word (void)
{
  g_autofree char *word = g_strnfill (300, 'a');
  g_autofree char *text = NULL;

  word[0] = 'b';
  text = g_strconcat ("xx", "B", word + 1, "yy", NULL);
  g_assert_true (scan (word, text));
  text[2] = 'c';
  g_assert_false (scan (word, text));
}

static void
test_random (void)
{
  static const char letters[] = "abcdeABCDE ";
  GRand *rand = g_rand_new_with_seed (20261206);

  for (guint round = 0; round < 20000; round++)
    {
      char text[64], word[8];
      guint tn = (guint) g_rand_int_range (rand, 0, sizeof text);
      guint wn = (guint) g_rand_int_range (rand, 1, sizeof word);

      for (guint i = 0; i < tn; i++)
        text[i] = letters[g_rand_int_range (rand, 0, sizeof letters - 1)];
      text[tn] = '\0';
      /* Words folded as a search folds them: lowered. */
      for (guint i = 0; i < wn; i++)
        word[i] = g_ascii_tolower (letters[g_rand_int_range (rand, 0, 5)]);
      word[wn] = '\0';
      if (scan (word, text) != plain_find (text, word))
        g_error ("\"%s\" in \"%s\": %d, a plain search says %d", word, text,
                 scan (word, text), plain_find (text, word));
    }
  g_rand_free (rand);
}

/* Empty words are left out; a number is marked as one. */
static void
test_words (void)
{
  char *words[] = { "", "42", "", "lamp", NULL };
  g_autoptr(KsSearchWords) sw = ks_search_words_new (words);

  g_assert_cmpuint (ks_search_words_get_n (sw), ==, 2);
  g_assert_cmpstr (ks_search_words_get (sw, 0), ==, "42");
  g_assert_true (ks_search_words_is_number (sw, 0));
  g_assert_cmpstr (ks_search_words_get (sw, 1), ==, "lamp");
  g_assert_false (ks_search_words_is_number (sw, 1));
  g_assert_true (ks_search_words_in_ascii (sw, 1, "Lamp post"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/search-words/chosen", test_chosen);
  g_test_add_func ("/search-words/long-word", test_long_word);
  g_test_add_func ("/search-words/random", test_random);
  g_test_add_func ("/search-words/words", test_words);
  return g_test_run ();
}
