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
        // v4: assistants; message trees (versions), citations and retrieval records; pinned and
        // soft-deleted conversations; full-text search over conversations.
        MigrationStep{{
            // settings is Assistant::settingsJson(); position orders the assistant picker.
            u"CREATE TABLE assistants ("
            " id INTEGER PRIMARY KEY,"
            " name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
            " settings TEXT NOT NULL,"
            " position INTEGER NOT NULL DEFAULT 0,"
            " created_at INTEGER NOT NULL,"
            " updated_at INTEGER NOT NULL)"_s,
            u"ALTER TABLE conversations ADD COLUMN assistant_id INTEGER"
            " REFERENCES assistants(id) ON DELETE SET NULL"_s,
            u"ALTER TABLE conversations ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0"_s,
            // No foreign key: a leaf is a hint the store repairs, and a dangling one must never
            // block deleting a message.
            u"ALTER TABLE conversations ADD COLUMN active_leaf_id INTEGER"_s,
            // Soft delete, so the sidebar can offer Undo; ConversationStore::purgeDeleted removes them.
            u"ALTER TABLE conversations ADD COLUMN deleted_at INTEGER"_s,
            // No ON DELETE CASCADE: SQLite runs a cascade as a nested trigger per level, and a chain
            // deeper than 1000 (a long conversation) fails with "too many levels of trigger
            // recursion". NO ACTION is checked at the end of the statement, so deleting a whole
            // conversation (one cascading DELETE) still works, and ConversationStore::deleteMessage
            // deletes a subtree leaves first.
            u"ALTER TABLE messages ADD COLUMN parent_id INTEGER REFERENCES messages(id)"_s,
            // JSON, NULL when empty: a list of CitationSnapshot, a list of CitationMarker, an object.
            u"ALTER TABLE messages ADD COLUMN sources TEXT"_s,
            u"ALTER TABLE messages ADD COLUMN citations TEXT"_s,
            u"ALTER TABLE messages ADD COLUMN retrieval TEXT"_s,
            // Old conversations are linear: each message follows the previous one of its conversation.
            u"UPDATE messages SET parent_id = (SELECT max(p.id) FROM messages p"
            " WHERE p.conversation_id = messages.conversation_id AND p.id < messages.id)"_s,
            u"UPDATE conversations SET active_leaf_id ="
            " (SELECT max(m.id) FROM messages m WHERE m.conversation_id = conversations.id)"_s,
            // Children of a message (versions, subtree deletes) and the cascades of both foreign keys.
            u"CREATE INDEX messages_by_parent ON messages(parent_id)"_s,
            u"CREATE INDEX conversations_by_assistant ON conversations(assistant_id)"_s,
            // The "ragdesk" tokenizer is installed on index.db connections only, so profile.db
            // uses the built-in one the index used before it (diacritics folded, no stemming).
            u"CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages', content_rowid='id',"
            " tokenize='unicode61 remove_diacritics 2')"_s,
            // Titles get their own small index rather than LIKE: the same tokenizer, so a query
            // matches a title and a message by the same rules (diacritics, prefixes, Unicode case).
            u"CREATE VIRTUAL TABLE conversations_fts USING fts5(title, content='conversations',"
            " content_rowid='id', tokenize='unicode61 remove_diacritics 2')"_s,
            // External content: a 'delete' must carry the exact old text. Streaming checkpoints
            // rewrite content every 500 ms and touch reasoning and updated_at too, so the update
            // trigger fires only on a content column update, and only re-indexes a changed text.
            u"CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN"
            " INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);"
            " END"_s,
            u"CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN"
            " INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);"
            " END"_s,
            u"CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages"
            " WHEN old.content IS NOT new.content BEGIN"
            " INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);"
            " INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);"
            " END"_s,
            u"CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN"
            " INSERT INTO conversations_fts(rowid, title) VALUES (new.id, new.title);"
            " END"_s,
            u"CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN"
            " INSERT INTO conversations_fts(conversations_fts, rowid, title) VALUES ('delete', old.id, old.title);"
            " END"_s,
            u"CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations"
            " WHEN old.title IS NOT new.title BEGIN"
            " INSERT INTO conversations_fts(conversations_fts, rowid, title) VALUES ('delete', old.id, old.title);"
            " INSERT INTO conversations_fts(rowid, title) VALUES (new.id, new.title);"
            " END"_s,
            u"INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')"_s,
            u"INSERT INTO conversations_fts(conversations_fts) VALUES ('rebuild')"_s,
        }},
    };
    return schema;
}

} // namespace ragdesk
