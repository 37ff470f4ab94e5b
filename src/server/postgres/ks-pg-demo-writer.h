/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-pg-demo-writer.h: writes a planned demo data set into a PostgreSQL store in
 * bulk (the generator in demo/ plans it; this writes it). */
#pragma once

#include "demo/ks-demo-plan.h"

G_BEGIN_DECLS

/* Writes a planned demo data set in one transaction (under the store's write
 * lock): the council and its catalogue, then the reports, their moderation and
 * answers, and the updates by COPY with the secondary indexes dropped and built
 * once at the end; ids, identity sequences and the change sequence as the SQLite
 * writer leaves them; ANALYZE once committed. For ks_demo_generate(). */
extern const KsDemoWriter ks_pg_demo_writer;

G_END_DECLS
