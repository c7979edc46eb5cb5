"""Om data: definitions, sources with the DST citation, and the method."""

import streamlit as st

from statistik import districts, formatting
from statistik.ui import components
from statistik.ui.store import load
from statistik.views import annotations, common

st.title("Om data")
own = districts.current()
members = formatting.and_list(load(common.member_names))

st.markdown(f"""
### Kilder
- **Danmarks Statistik, tabel STRAF11**: anmeldte forbrydelser efter gerningskommune og
  overtrædelsens art, pr. kvartal. Alle 98 kommuner, regionerne og hele landet.
- **Danmarks Statistik, tabel FOLK1A**: folketal pr. 1. januar (kvartal 1), brugt til rater.
- **{own.police}**: politiets egne månedstal for kategorier, som Danmarks Statistik ikke
  har (kontaktbedrageri, opioider, lomme- og tricktyveri). De uploades af analytikere.

Kilde: Danmarks Statistik (STRAF11, FOLK1A). Tallene må genbruges med kildeangivelse
(CC BY 4.0). Hvor vi har regnet videre på tallene (rater, ændringer, kredsens total), står der
"egne beregninger".

To kilder lægges aldrig sammen: Danmarks Statistiks og politiets tal for samme kategori vises
som hver sin serie.

### Begreber
- **Anmeldelse**: en anmeldt overtrædelse, opgjort efter gerningskommune og anmeldelsestidspunkt.
- **{own.name}**: {members}. Kredsens tal er summen af kommunerne og beregnes; mangler én kommune for en
  periode, vises kredsen ikke for den. De andre af landets 12 politikredse beregnes på samme måde.
- **Manglende tal er ikke 0**: en periode uden tal vises som et hul i grafen. En sum over
  kvartal, år eller løbende 12 måneder vises kun, når alle dens dele er der. I Statistikbankens
  BULK-filer betyder en manglende kombination 0; `..` betyder "intet tal".
- **Rate pr. 100.000 indbyggere**: antal anmeldelser delt med folketallet 1. januar i
  periodens år. Sidens noter siger, hvilket års folketal der er brugt.
- **Indeks**: perioden i forhold til gennemsnittet for basisåret (= 100).

### Metode
- **Er ændringen større end tilfældig variation?** Antallet i perioden sammenlignes med samme
  periode året før (eller den periode, man vælger). Anmeldte forbrydelser svinger mere fra år
  til år, end ren tilfældighed giver: politiets indsatser, nye regler, vejret og enkeltsager
  flytter tallene. Hvor meget et tal plejer at svinge, måles derfor på dets egne fem foregående
  år og på samme kategori i de andre kommuner, så også korte serier får et fornuftigt skøn. En
  ændring kaldes *større end tilfældig variation*, når den er større, end den normale variation
  giver i 95 af 100 år (p-værdien er under 5 %); ellers *kan den skyldes tilfældig variation*.
  På Sammenlign viser det grå felt de ændringer, den normale variation kan give.
- **Folketal og dage**: ændringen vurderes som en rate. Vokser befolkningen, eller er perioderne
  ikke lige lange (februar mod marts), regnes der med det.
- **Forventet niveau**: hvor antallet ville ligge, hvis det fulgte samme periode i de tre
  foregående år, med sæsonen og den normale variation taget med; 95 % af årene ligger inden for.
  Det vises som et bånd på graferne på Udvikling og i ord: over, inden for eller under det
  forventede.
- **Mange vurderinger på én gang**: hver vurdering bruger grænsen 5 %. Ser man på 20 ændringer,
  vil omkring én ved et tilfælde blive kaldt større end tilfældig variation, også når intet har
  ændret sig. Siderne og bilaget siger derfor, hvor mange falske alarmer man kan vente. Vi
  strammer ikke grænsen efter, hvor mange tal der vises: så får den samme ændring samme vurdering
  overalt, på siderne, i bilaget og på kommandolinjen.
- **Kommuner** sammenlignes i et tragtdiagram: raten mod folketallet, med de grænser, som
  tilfældighed og normal variation holder en kommune af den størrelse inden for (95 % og 99,8 %).
  Små kommuners rater svinger mere, derfor tragten; en liste sorteret efter rate ville få
  tilfældige forskelle til at ligne en rangorden.
- **Afprøvet**: metoden er kørt på tusindvis af simulerede serier med realistiske udsving og
  sæson. Hvor intet havde ændret sig, blev højst 7 % kaldt større end tilfældig variation, i
  hver størrelse. En fordobling af en serie med mindst 100 tilfælde om året blev fundet i over
  80 % af tilfældene for kvartaler og år; en enkelt måned har for få tilfælde til det (se README).
- **Usikkerhedsbånd** om et enkelt antal på graferne er eksakte 95 %-intervaller for et
  Poisson-tal (Garwood).
- **Få tilfælde**: er et af de to tal under 10, vises ingen procent, kun ændringen i antal
  (6 → 10 er «+4», ikke «+66,7 %»), og der står "få tilfælde — fortolk varsomt". Der vises
  heller aldrig en procent på et grundlag på 0.
- **Bilag med skjulte små tal** bygger vurderingerne kun på de tal, bilaget selv viser, så de
  intet røber om de skjulte tal; de kan derfor afvige lidt fra dashboardets.
""")

st.markdown("### Markeringer på graferne")
st.caption("Begivenheder og lovændringer fra kredsens samarbejdsplan og kredsrådets referater.")
st.caption("Hver markering vises kun på grafer over de kategorier og områder, den handler om.")
components.table(load(annotations.listing)[["Fra", "Til", "Tekst", "Type", "Kategorier", "Områder"]])
