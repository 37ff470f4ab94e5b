/* ks-store-reports.c: dispatchers of the store's reports operations. */
#include "ks-store.h"
