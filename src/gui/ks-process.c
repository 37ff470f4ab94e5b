/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-process.c: the app's process set up before GTK and any thread start. */
#include "config.h"

#include "ks-process.h"

#include <string.h>

#include "ks-cache.h"
#include "ks-huge-heap.h"

/* With the cairo renderer (GSK_RENDERER=cairo: drawing in software, as on a
 * remote desktop without a GPU, or under Xvfb), GDK never draws with GL, yet
 * opening the display still loads and probes a GL driver to have one ready:
 * with Mesa's software GL, 150-220 ms before the first frame and about 58 MB.
 * GDK_DEBUG's gl-disable skips that. Left set, so that a GTK program started
 * from the app draws as the app does. */
static void
skip_unused_gl (void)
{
  const char *renderer = g_getenv ("GSK_RENDERER");
  const char *debug = g_getenv ("GDK_DEBUG");
  g_autofree char *flags = NULL;

  if (g_strcmp0 (renderer, "cairo") != 0 || (debug != NULL && strstr (debug, "gl-disable")))
    return;
  flags = debug != NULL && *debug ? g_strconcat (debug, ",gl-disable", NULL)
                                  : g_strdup ("gl-disable");
  g_setenv ("GDK_DEBUG", flags, TRUE);
}

void
ks_process_prepare (void)
{
  skip_unused_gl ();
  ks_huge_heap_prepare ();
  ks_cache_prepare_sqlite ();
}
