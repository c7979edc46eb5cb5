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
- **Er ændringen større end tilfældig variation?** To antal sammenlignes med en eksakt test for
  to Poisson-tal (betinget binomialtest): givet summen af de to antal er antallet i den seneste
  periode binomialfordelt. p-værdien er tosidet; under 5 % kaldes ændringen større end
  tilfældig variation.
- **Usikkerhedsbånd** er eksakte 95 %-intervaller for et Poisson-tal (Garwood).
- **Få tilfælde**: under 10 tilfælde i en af perioderne markeres "få tilfælde — fortolk varsomt".
- **Ingen procent på et grundlag på 0**: går et tal fra 0 til 3, vises ændringen kun i antal.
""")

st.markdown("### Markeringer på graferne")
st.caption("Begivenheder og lovændringer fra kredsens samarbejdsplan og kredsrådets referater.")
st.caption("Hver markering vises kun på grafer over de kategorier og områder, den handler om.")
components.table(load(annotations.listing)[["Fra", "Til", "Tekst", "Type", "Kategorier", "Områder"]])
