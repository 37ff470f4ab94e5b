/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-startup.c: what the app's process sets up before GTK starts
 * (ks_process_prepare(), first in main()). A process of its own in which the
 * application's startup starts GTK, as in the app (the other GUI tests start
 * GTK themselves first): with the cairo renderer GDK sets up no GL; the main
 * thread's heap is asked for in huge pages and takes arrays of megabytes. */
#define G_LOG_DOMAIN "test-startup"

#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
#include <string.h>

#include "ks-application.h"
#include "ks-process.h"

#if defined (__SANITIZE_ADDRESS__)
#define KS_OTHER_ALLOCATOR 1
#elif defined (__has_feature)
#if __has_feature (address_sanitizer)
#define KS_OTHER_ALLOCATOR 1
#endif
#endif

static void
test_no_gl_for_cairo (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (g_getenv ("GSK_RENDERER"), "cairo") != 0)
    {
      g_test_skip ("Drawn with another renderer than cairo: GL is set up as GTK chooses");
      return;
    }
  g_assert_nonnull (display);
  g_assert_nonnull (g_getenv ("GDK_DEBUG"));
  g_assert_nonnull (strstr (g_getenv ("GDK_DEBUG"), "gl-disable"));
  /* GDK says GL is not to be had, rather than setting it up. */
  g_assert_false (gdk_display_prepare_gl (display, &error));
  g_assert_nonnull (error);
}

/* The mapping of this process that holds address: whether it is the heap,
 * and whether it is marked for huge pages ("hg" among its VmFlags). */
static void
find_mapping (gconstpointer address, gboolean *heap, gboolean *huge)
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

static void
test_heap_in_huge_pages (void)
{
#ifdef KS_OTHER_ALLOCATOR
  g_test_skip ("Built with a sanitizer: its allocator has no such heap");
#else
  g_autofree char *thp = NULL;
  gboolean heap = FALSE, huge = FALSE;
  const gsize size = 4 * 1024 * 1024;
  char *array;

  /* An array of 4 MB comes from the heap, not from a mapping of its own. */
  array = malloc (size);
  g_assert_nonnull (array);
  memset (array, 1, size);
  find_mapping (array, &heap, &huge);
  g_assert_true (heap);
  find_mapping (array + size - 1, &heap, &huge);
  g_assert_true (heap);
  free (array);
  /* Huge pages asked for, where the system gives them on request. */
  if (!g_file_get_contents ("/sys/kernel/mm/transparent_hugepage/enabled", &thp, NULL, NULL) ||
      strstr (thp, "[never]") != NULL)
    {
      g_test_skip ("This system has no transparent huge pages to ask for");
      return;
    }
  g_assert_true (huge);
#endif
}

int
main (int argc, char **argv)
{
  g_autoptr(KsApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  /* As the app's main() does, before any thread. */
  ks_process_prepare ();
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_test_init (&argc, &argv, NULL);
  app = ks_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  /* Registering runs the application's startup, which starts GTK. */
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);

  g_test_add_func ("/startup/no-gl-for-cairo", test_no_gl_for_cairo);
  g_test_add_func ("/startup/heap-in-huge-pages", test_heap_in_huge_pages);
  return g_test_run ();
}
