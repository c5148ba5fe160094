#pragma once

#include "core/foundation/Error.h"
#include "core/ingest/ExtractionLimits.h"

#include <QStringView>
#include <QXmlStreamReader>

namespace ragdesk::officexml {

/// The value of the attribute whose local name is @p localName, whatever its prefix.
QStringView attribute(const QXmlStreamReader &xml, QStringView localName);

/// The text of the first element named @p localName (e.g. Dublin Core "title"), or empty.
QString firstElementText(const QByteArray &xmlBytes, QStringView localName);

/// The Extraction error for a part that is not well-formed XML.
Error malformedPart(const QString &path, const QString &formatName, const QString &part, const QXmlStreamReader &xml);

} // namespace ragdesk::officexml
