/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-test-mapping.c: this process's memory mappings, read from /proc/self/smaps. */
#include "ks-test-mapping.h"

#include <stdio.h>
#include <string.h>

void
ks_test_find_mapping (gconstpointer address,
                      gboolean     *heap,
                      gboolean     *huge)
{
  g_autofree char *smaps = NULL;
  g_auto(GStrv) lines = NULL;
  guintptr at = (guintptr) address;

  g_assert_true (g_file_get_contents ("/proc/self/smaps", &smaps, NULL, NULL));
  lines = g_strsplit (smaps, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guintptr start, end;

      /* A mapping's first line: "start-end perms offset dev inode [name]". */
      if (sscanf (lines[i], "%" G_GINTPTR_MODIFIER "x-%" G_GINTPTR_MODIFIER "x ", &start, &end) != 2 ||
          strchr (lines[i], ':') == NULL || at < start || at >= end)
        continue;
      *heap = g_str_has_suffix (lines[i], "[heap]");
      for (guint j = i + 1; lines[j] != NULL; j++)
        if (g_str_has_prefix (lines[j], "VmFlags:"))
          {
            g_auto(GStrv) flags = g_strsplit (lines[j] + strlen ("VmFlags:"), " ", -1);

            *huge = g_strv_contains ((const char * const *) flags, "hg");
            return;
          }
      g_assert_not_reached ();
    }
  g_assert_not_reached ();
}

const char *
ks_test_no_huge_pages (void)
{
  g_autofree char *thp = NULL;

  if (!g_file_get_contents ("/sys/kernel/mm/transparent_hugepage/enabled", &thp, NULL, NULL) ||
      strstr (thp, "[never]") != NULL)
    return "This system has no transparent huge pages to ask for";
  return NULL;
}
