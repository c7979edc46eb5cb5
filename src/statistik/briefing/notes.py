"""The notes at the end of a briefing: definitions, sources, method, revisions and suppression."""

from __future__ import annotations

from statistik import districts, formatting
from statistik.briefing.content import Briefing
from statistik.briefing.document import BULLET, Heading, Paragraph
from statistik.briefing.suppression import HIDDEN_MARK
from statistik.briefing.tables import revisions_table
from statistik.metrics.verdicts import false_alarms

REVISIONS_LISTED = 40
NO_REVISIONS = "Ingen tal er revideret siden forrige bilag."
DST_CITATION = "Kilde: Danmarks Statistik (STRAF11, FOLK1A)"


def definitions(b: Briefing) -> list:
    """What the figures count and how the district, 12 months and missing figures are defined."""
    own = districts.current()
    items = [
        "Anmeldelser: anmeldte overtrædelser efter gerningskommune og anmeldelsestidspunkt, ikke sigtelser "
        "eller domme. Én anmeldelse kan dække flere forhold.",
        f"{b.district_name}: {formatting.and_list(b.member_names)}. Kredsens tal er summen af "
        f"{own.members_phrase} og vises kun, når {own.needed_phrase} har tal for perioden."
        + (f" {formatting.and_list(own.extra_names)} tælles med, når der er tal." if own.extras else ""),
        "Seneste 12 måneder: de fire kvartaler (eller tolv måneder), der slutter med den viste periode.",
        "Manglende tal er ikke 0: en periode uden tal er et hul i grafen og «–» i tabellerne.",
        "Danmarks Statistiks tal og politiets egne tal lægges aldrig sammen; hver tendens bruger én kilde.",
    ]
    items += [f"{s.trend.title}: {s.trend.why}" for s in b.sections]
    return [Heading("Definitioner", 2), *(Paragraph(i, BULLET) for i in items)]


def sources() -> list:
    """Where the figures come from, with the citation Danmarks Statistik asks for."""
    return [
        Heading("Kilder", 2),
        Paragraph(f"{DST_CITATION}. STRAF11: anmeldte forbrydelser efter gerningskommune og overtrædelsens art, "
                  "pr. kvartal. FOLK1A: folketal 1. januar, brugt til rater. Tallene må genbruges med "
                  "kildeangivelse."),
        Paragraph(f"{districts.current().police}: politiets egne månedstal for kategorier, som Danmarks Statistik "
                  "ikke har (kontaktbedrageri, opioider, lomme- og tricktyveri). De uploades af kredsens "
                  "analytikere."),
        Paragraph("Kredsens total, ændringer, procenter, rater og test er egne beregninger."),
    ]


def verdict_count(b: Briefing) -> int:
    """How many verdicts the briefing prints (the overview repeats the district's, counted once)."""
    return sum(len(f.verdicts()) for s in b.sections for f in (s.figures, s.context) if f is not None)


def _amount(value: float) -> str:
    """'1' for 1,0, '0,8' for 0,8: an expected number of false alarms as it reads in a sentence."""
    return formatting.number(round(value, 1), 0 if round(value, 1).is_integer() else 1)


def method(b: Briefing) -> list:
    """How changes are judged, the expected range, many verdicts at once, rates and small counts, in plain Danish."""
    n = verdict_count(b)
    items = [
        "Er ændringen større end tilfældig variation? Antallet i perioden sammenlignes med samme periode året før. "
        "Anmeldelser svinger mere fra år til år, end ren tilfældighed giver: politiets indsatser, nye regler, "
        "vejret og enkeltsager flytter tallene. Hvor meget et tal plejer at svinge, måles derfor på dets egne "
        "fem foregående år og på samme kategori i de andre kommuner (så også korte serier får et skøn). Kun en "
        "ændring, der er større, end den normale variation giver i 95 af 100 år, kaldes større end tilfældig "
        "variation. Der tages højde for, at folketallet ændrer sig, og at perioder kan have forskelligt antal dage.",
        "Forventet niveau: hvor antallet ville ligge, hvis det fulgte samme periode i de tre foregående år, "
        "med sæsonen og den normale variation taget med (95 % af årene ligger inden for). Et antal over eller "
        "under det forventede står i teksten.",
        f"Mange vurderinger på én gang: bilaget har {formatting.number(n)} "
        f"{'vurdering' if n == 1 else 'vurderinger'} af, om en ændring er større end tilfældig variation. Hver "
        "bruger grænsen 5 %, så også hvis intet havde ændret sig, ville omkring "
        f"{_amount(false_alarms(n))} af dem ved et tilfælde blive kaldt større end tilfældig "
        "variation. Læs derfor en enkelt ændring varsomt, især når den ikke følges af samme retning i flere perioder.",
    ]
    if b.below is not None:
        items.append("Når små tal er skjult, bygger vurderingerne og det forventede niveau kun på de tal, bilaget "
                     "selv viser (tabellernes perioder og graferne), så de intet røber om de skjulte tal. De kan "
                     "derfor afvige lidt fra dashboardets, som bygger på alle tal.")
    items += [
        "Usikkerheden på et antal er et eksakt 95 %-interval for et Poisson-tal (Garwood); det er det skraverede "
        "bånd om hver linje i graferne. Ved få tilfælde er intervallet bredt; derfor markeres under 10 tilfælde "
        "med «få tilfælde — fortolk varsomt».",
        "Rater er anmeldelser pr. 100.000 indbyggere med folketallet 1. januar i periodens år (FOLK1A); findes "
        "året endnu ikke, bruges det seneste. Tabellerne siger, hvilket år der er brugt.",
        "Der vises ingen procent, når et af de to tal er under 10 eller sammenligningsperioden har 0 tilfælde "
        "(6 → 10 er «+4», ikke «+66,7 %»); så vises kun ændringen i antal.",
    ]
    return [Heading("Metode", 2), *(Paragraph(i, BULLET) for i in items)]


def revisions(b: Briefing) -> list:
    """Figures revised since the previous briefing, or that there are none."""
    out = [Heading("Revisioner siden forrige bilag", 2)]
    if b.previous is None:
        out.append(Paragraph("Der er ikke lavet et endeligt bilag til et tidligere møde med denne database; "
                             "listen viser alle revisioner."))
    else:
        out.append(Paragraph(f"Forrige bilag: kredsrådsmødet {formatting.date(b.previous.meeting_date)}, "
                             f"gjort endeligt {formatting.timestamp(b.previous.created_at)}."))
    if not b.revisions:
        out.append(Paragraph(NO_REVISIONS if b.previous else "Ingen tal er revideret."))
        return out
    out.append(Paragraph(f"{formatting.number(len(b.revisions))} tal for kredsens kommuner er ændret af senere "
                         "importer (før: værdien ved forrige bilag; nu: værdien i dette bilag)."))
    out.append(revisions_table(b.revisions, REVISIONS_LISTED))
    return out


def suppression(b: Briefing) -> list:
    """How small counts are hidden, or that they are not."""
    out = [Heading("Små tal (diskretionering)", 2)]
    if b.below is None:
        out.append(Paragraph("Små tal er ikke skjult i dette bilag. Til offentlige mødepapirer kan bilaget laves "
                             "med små tal skjult (fx under 5)."))
        return out
    n = b.below
    earlier = len(b.decision.publications)
    memory = (f"Bilaget er lavet sammen med de {formatting.number(earlier)} tidligere offentliggjorte bilag med små tal "
              "skjult: et tal, som et af dem skjulte, er også skjult her, og intet skjult tal kan regnes ud af dem "
              "alle tilsammen." if earlier else
              "Der er ikke offentliggjort andre bilag med små tal skjult fra denne database; kommende bilag laves, "
              "så de tal, dette bilag skjuler, forbliver skjulte.")
    out += [
        Paragraph(f"Antal fra 1 til {n - 1} er skjult og vist som «{HIDDEN_MARK}» overalt: i tabeller, i teksten og i "
                  "graferne, hvor punktet er udeladt.", BULLET),
        Paragraph(f"Hvor et skjult tal ellers kunne regnes ud af andre tal i bilaget (kredsens total, 12 måneder, et "
                  f"år, målet), er flere tal skjult, også vist som «{HIDDEN_MARK}». Det samme tegn bruges for alle "
                  "skjulte tal, så tegnet ikke røber, hvilke der er små.", BULLET),
        Paragraph(f"Valget af tal er kontrolleret med en matematisk optimering (heltalsprogrammering): ud fra alt, der "
                  f"er trykt, kan et lille tal ikke indsnævres til mindre end hele intervallet 1–{n - 1}, og et andet "
                  f"skjult tal ikke til mindre end ±{n} om sin værdi.", BULLET),
        Paragraph(memory, BULLET),
        Paragraph("Ændringer, procenter, rater, test og målopfyldelse, der bygger på et skjult tal, er også skjult.",
                  BULLET),
        Paragraph("0 vises og skjules ikke, som det er almindelig praksis (også hos Danmarks Statistik): at der "
                  "ingen tilfælde er, udpeger ingen personer.", BULLET),
    ]
    return out


def notes(b: Briefing) -> list:
    """The notes chapter."""
    return [Heading("Noter", 1), *definitions(b), *sources(), *method(b), *revisions(b), *suppression(b)]
