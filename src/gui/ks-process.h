/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-process.h: the app's process set up before GTK and any thread start. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* First thing in main(), before any thread exists (it sets the environment,
 * and setenv is not thread-safe): with the cairo renderer, GDK is told not to
 * set up GL; the main thread's heap is prepared (ks-huge-heap.h). */
void ks_process_prepare (void);

G_END_DECLS
