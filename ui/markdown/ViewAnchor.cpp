#include "ui/markdown/ViewAnchor.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

constexpr std::pair<ViewAnchor::Kind, QStringView> kVerbs[] = {
    { ViewAnchor::Kind::Cite, u"cite" },
    { ViewAnchor::Kind::Source, u"source" },
    { ViewAnchor::Kind::Copy, u"copy" },
    { ViewAnchor::Kind::Action, u"action" },
    { ViewAnchor::Kind::Version, u"version" },
    { ViewAnchor::Kind::Reasoning, u"reasoning" },
    { ViewAnchor::Kind::SourcesToggle, u"sources" },
};

constexpr QStringView kPrefix = u"ragdesk:";
constexpr QStringView kLinkVerb = u"link/";

} // namespace

ViewAnchor ViewAnchor::parse(const QString &href)
{
    ViewAnchor anchor;
    if (!href.startsWith(kPrefix))
        return anchor;
    const QStringView rest = QStringView(href).sliced(kPrefix.size());
    if (rest.startsWith(kLinkVerb)) {
        anchor.kind = Kind::Link;
        anchor.link = QUrl(QUrl::fromPercentEncoding(rest.sliced(kLinkVerb.size()).toUtf8()));
        return anchor;
    }
    const QList<QStringView> parts = rest.split(u'/');
    if (parts.size() != 3)
        return anchor;
    bool messageOk = false;
    bool argOk = false;
    const int message = parts.at(1).toInt(&messageOk);
    const int arg = parts.at(2).toInt(&argOk);
    if (!messageOk || !argOk)
        return anchor;
    for (const auto &[kind, verb] : kVerbs) {
        if (parts.at(0) == verb) {
            anchor.kind = kind;
            anchor.message = message;
            anchor.arg = arg;
        }
    }
    return anchor;
}

QString ViewAnchor::href(Kind kind, int message, int arg)
{
    for (const auto &[known, verb] : kVerbs) {
        if (known == kind)
            return kPrefix + verb + u'/' + QString::number(message) + u'/' + QString::number(arg);
    }
    return {};
}

QString ViewAnchor::linkHref(const QString &target)
{
    return kPrefix + kLinkVerb + QString::fromLatin1(QUrl::toPercentEncoding(target));
}

} // namespace ragdesk
