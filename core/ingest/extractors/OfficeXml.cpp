#include "core/ingest/extractors/OfficeXml.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace ragdesk::officexml {

QStringView attribute(const QXmlStreamReader &xml, QStringView localName)
{
    const QXmlStreamAttributes attributes = xml.attributes();
    for (const QXmlStreamAttribute &attribute : attributes) {
        if (attribute.name() == localName)
            return attribute.value();
    }
    return {};
}

QString firstElementText(const QByteArray &xmlBytes, QStringView localName)
{
    QXmlStreamReader xml(xmlBytes);
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == localName)
            return xml.readElementText(QXmlStreamReader::IncludeChildElements).simplified();
    }
    return {};
}

Error malformedPart(const QString &path, const QString &formatName, const QString &part, const QXmlStreamReader &xml)
{
    return Error{Error::Kind::Extraction,
                 u"%1 is not a valid %2: its part %3 is damaged (%4 at line %5). Re-save the file in its application."_s
                     .arg(QDir::toNativeSeparators(path), formatName, part, xml.errorString())
                     .arg(xml.lineNumber()),
                 xml.errorString(), 0};
}

} // namespace ragdesk::officexml
