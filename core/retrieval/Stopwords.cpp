#include "core/retrieval/Stopwords.h"

#include <QHash>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
QSet<QString> setOf(const QString &spaceSeparated)
{
    const QStringList words = spaceSeparated.split(u' ', Qt::SkipEmptyParts);
    return QSet<QString>(words.begin(), words.end());
}

const QHash<QString, QSet<QString>> &lists()
{
    static const QHash<QString, QSet<QString>> all{
        {u"en"_s, setOf(u"a an and are as at be been but by do does did for from had has have how i if in"
                        " into is it its me my of on or our so than that the their them then there these they"
                        " this those to was we were what when where which who whom why will with would you your"_s)},
        {u"de"_s, setOf(u"aber als am an auch auf aus bei bin bis das dass dem den der des die doch du ein eine"
                        " einem einen einer eines er es fur hat ich ihr im in ist ja mit nach noch oder sich sie"
                        " sind so um und uns von vom war was wie wir wird zu zum zur"_s)},
        {u"fr"_s, setOf(u"a au aux avec ce ces dans de des du elle en est et il ils je la le les leur lui ma"
                        " mais me mes mon nous on ou par pour qu que qui sa se ses son sur ta te tes ton tu un"
                        " une vos votre vous"_s)},
        {u"es"_s, setOf(u"a al como con de del el ella en era es esta este fue ha la las le les lo los mas me"
                        " mi mis muy nos o para pero por que se sin su sus te tu un una uno y ya"_s)},
        {u"it"_s, setOf(u"a ad al alla alle che chi ci come con da dal dalla de dei del della delle di e ed il"
                        " in la le lo ma mi nel nella per piu quale quello questo se si su sua suo tra tu un"
                        " una uno"_s)},
        {u"pt"_s, setOf(u"a ao aos as com como da das de do dos e ela ele em era essa esse esta este eu foi ha"
                        " isso mais mas me na nas no nos o os ou para pela pelo por que se sem seu sua um uma"_s)},
        {u"nl"_s, setOf(u"aan al als bij dat de den der die dit door een en er had heb heeft hem het hij hoe"
                        " ik in is je maar me met mij na naar nog of om ook op te tot uit van voor was wat we"
                        " werd wie wij zal ze zich zij zo"_s)},
    };
    return all;
}
} // namespace

const QSet<QString> &Stopwords::of(const QString &language)
{
    static const QSet<QString> none;
    const auto &all = lists();
    const auto found = all.constFind(language.left(2).toLower());
    return found == all.constEnd() ? none : *found;
}

} // namespace ragdesk
