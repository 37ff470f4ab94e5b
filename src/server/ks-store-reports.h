/* ks-store-reports.h: the store's reports operations (see ks-store.h). */
#pragma once

#include <glib-object.h>
#include "ks-principal.h"
#include "ks-json-writer.h"

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

typedef struct {
  gpointer reserved;
} KsStoreReportsVTable;

G_END_DECLS
