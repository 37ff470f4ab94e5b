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
#include "ks-test-mapping.h"

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

static void
test_heap_in_huge_pages (void)
{
#ifdef KS_TEST_OTHER_ALLOCATOR
  g_test_skip ("Built with a sanitizer: its allocator has no such heap");
#else
  const char *why_not = ks_test_no_huge_pages ();
  gboolean heap = FALSE, huge = FALSE;
  const gsize size = 4 * 1024 * 1024;
  char *array;

  /* An array of 4 MB comes from the heap, not from a mapping of its own. */
  array = malloc (size);
  g_assert_nonnull (array);
  memset (array, 1, size);
  ks_test_find_mapping (array, &heap, &huge);
  g_assert_true (heap);
  ks_test_find_mapping (array + size - 1, &heap, &huge);
  g_assert_true (heap);
  free (array);
  /* Huge pages asked for, where the system gives them on request. */
  if (why_not != NULL)
    {
      g_test_skip (why_not);
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
