/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-sync-page.c: the app's one-pass reader of sync pages (ks_sync_page_parse()).
 *
 * Any bytes as the answer of GET /api/v1/sync. The reader is strict JSON: whatever
 * it accepts, json-glib accepts too (but for lone surrogates), as an object; each report's span lies inside
 * the answer and is a JSON object itself; there is one span per report. */
#include "ks-sync-page.h"

#include <json-glib/json-glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static gboolean
has_surrogate_escape (const char *s, gsize len)
{
  for (gsize i = 0; i + 3 < len; i++)
    if (s[i] == '\\' && s[i + 1] == 'u' && (s[i + 2] == 'd' || s[i + 2] == 'D') &&
        strchr ("89abcdefABCDEF", s[i + 3]) != NULL && s[i + 3] != '\0')
      return TRUE;
  return FALSE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(KsSyncPage) page = ks_sync_page_parse (bytes, &error);
  g_autoptr(JsonParser) parser = NULL;
  const char *base = g_bytes_get_data (bytes, NULL);

  if (page == NULL)
    {
      if (error == NULL || error->message[0] == '\0')
        abort ();
      return 0;
    }
  if (page->spans->len != page->reports->len)
    abort ();

  /* The one difference allowed: the reader reads a lone surrogate escape
   * ("\ud83d" without its pair) as U+FFFD, json-glib refuses it; pages with
   * surrogate escapes are not compared. */
  if (has_surrogate_escape ((const char *) data, size))
    return 0;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, (const char *) data, size, NULL))
    abort ();
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    abort ();

  for (guint i = 0; i < page->reports->len; i++)
    {
      gsize len = 0;
      const char *text = ks_sync_page_get_text (page, i, &len);
      g_autoptr(JsonParser) one = json_parser_new ();

      if (text < base || text + len > base + size)
        abort ();
      if (!json_parser_load_from_data (one, text, len, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (one)))
        abort ();
      if (g_ptr_array_index (page->reports, i) == NULL)
        abort ();
    }
  return 0;
}
