#include "core/ingest/DocumentFormat.h"
