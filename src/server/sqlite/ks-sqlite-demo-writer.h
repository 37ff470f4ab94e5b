/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-sqlite-demo-writer.h: writes a planned demo data set straight into a SQLite
 * store, in bulk (the generator in demo/ plans it; this writes it). */
#pragma once

#include "demo/ks-demo-plan.h"

G_BEGIN_DECLS

/* Writes a planned demo data set in one transaction: bulk-load settings, the
 * council and its catalogue, the reports and updates with the indexes dropped
 * and built once at the end, then a checkpoint. For ks_demo_generate(). */
extern const KsDemoWriter ks_sqlite_demo_writer;

G_END_DECLS
