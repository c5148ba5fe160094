#pragma once

#include <QString>
#include <QUrl>

namespace ragdesk {

/// The anchors the message view puts into its document, as "ragdesk:<verb>/<message>/<arg>".
/// A link from the text itself is always wrapped as Kind::Link, so a model cannot write an
/// anchor that triggers a view action.
struct ViewAnchor {
    enum class Kind { None, Link, Cite, Source, Copy, Action, Version, Reasoning, SourcesToggle };
    Kind kind = Kind::None;
    int message = -1;
    int arg = -1;
    QUrl link; ///< Kind::Link: the target as written

    static ViewAnchor parse(const QString &href);
    static QString href(Kind kind, int message, int arg = 0);
    static QString linkHref(const QString &target);
};

} // namespace ragdesk
