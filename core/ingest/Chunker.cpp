#include "core/ingest/Chunker.h"
