#include "core/storage/ProfileSchema.h"

using namespace Qt::StringLiterals;

namespace ragdesk {

const QList<MigrationStep> &ProfileSchema::steps()
{
    // Times are INTEGER milliseconds since the epoch, UTC.
    static const QList<MigrationStep> schema{
        // v1: conversations and their messages.
        MigrationStep{{
            u"CREATE TABLE conversations ("
            " id INTEGER PRIMARY KEY,"
            " title TEXT NOT NULL,"
            " created_at INTEGER NOT NULL,"
            " updated_at INTEGER NOT NULL)"_s,
            u"CREATE TABLE messages ("
            " id INTEGER PRIMARY KEY,"
            " conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
            " role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),"
            " content TEXT NOT NULL DEFAULT '',"
            " reasoning TEXT NOT NULL DEFAULT '',"
            " status TEXT NOT NULL"
            "  CHECK (status IN ('streaming', 'done', 'stopped', 'error', 'interrupted')),"
            " error_text TEXT,"
            " created_at INTEGER NOT NULL,"
            " updated_at INTEGER NOT NULL,"
            " metrics TEXT)"_s,
            // Loading a conversation reads its messages in id order; this index covers exactly that.
            u"CREATE INDEX messages_by_conversation ON messages(conversation_id, id)"_s,
            // The sidebar lists conversations by recent activity.
            u"CREATE INDEX conversations_by_update ON conversations(updated_at)"_s,
        }},
        // v2: knowledge-base definitions (their documents and chunks live in index.db).
        MigrationStep{{
            u"CREATE TABLE knowledge_bases ("
            " id INTEGER PRIMARY KEY,"
            " name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
            " chunk_tokens INTEGER NOT NULL,"
            " chunk_overlap INTEGER NOT NULL,"
            " language TEXT NOT NULL,"
            " created_at INTEGER NOT NULL,"
            " updated_at INTEGER NOT NULL)"_s,
            u"CREATE TABLE knowledge_base_sources ("
            " id INTEGER PRIMARY KEY,"
            " knowledge_base_id INTEGER NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,"
            " path TEXT NOT NULL,"
            " is_folder INTEGER NOT NULL,"
            " watched INTEGER NOT NULL,"
            " added_at INTEGER NOT NULL,"
            " UNIQUE (knowledge_base_id, path))"_s,
            // The folder watcher asks for every watched folder at start.
            u"CREATE INDEX knowledge_base_sources_watched ON knowledge_base_sources(watched)"_s,
        }},
        // v3: the embedding model of each knowledge base; empty means keyword search only.
        MigrationStep{{
            u"ALTER TABLE knowledge_bases ADD COLUMN embedding_model TEXT NOT NULL DEFAULT ''"_s,
        }},
    };
    return schema;
}

} // namespace ragdesk
