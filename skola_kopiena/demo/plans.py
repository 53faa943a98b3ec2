"""Learners and support plans of `manage.py demo`, built through the services the portal uses.

Everything goes through `iap.services` and `mentors.services`, so the rules (ELIG, IAP, CON,
AGR, CAP) hold and each plan has its history, with the acting user recorded as its author.
Idempotent: a learner is looked up by institution, name and birth date, and a plan that the
learner already has for the semester is left as it is.
"""

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from iap import services
from iap.models import Learner, Plan
from mentors.models import Contract
from mentors.services import contract_create, mentor_account_ensure
from skola_kopiena.accounts.models import Role, RoleMembership, User
from skola_kopiena.schools.calendar import current_semester, semester_dates
from skola_kopiena.schools.models import Semester

D = datetime.date
RIGA_SCHOOL = "Rīgas 64. vidusskola"
YOUTH_CENTRE = "Rīgas jauniešu centrs „Kaņieris”"
OGRE = "Ogres tehnikums"
CESIS = "Cēsu Valsts ģimnāzija"

# Who prepares and who approves at each school. The Rīga pair are the demo logins (made by
# demo.py); the others are staff without a password, so that plans are not prepared by
# someone of another school.
SCHOOL_STAFF = {
    RIGA_SCHOOL: (("preparer@demo.lv", "", ""), ("approver@demo.lv", "", "")),
    OGRE: (
        ("sagatavotajs.ogre@demo.lv", "Ilona", "Kalēja"),
        ("apstiprinatajs.ogre@demo.lv", "Aivars", "Strazds"),
    ),
    CESIS: (
        ("sagatavotajs.cesis@demo.lv", "Santa", "Dambe"),
        ("apstiprinatajs.cesis@demo.lv", "Gints", "Lūsis"),
    ),
}

# key: mentor, employer, school year, semester (None: the whole year, CON-3), number,
# signed on, background check date and by whom (CON-5).
CONTRACTS = {
    "anna": (
        "Anna Bērziņa",
        RIGA_SCHOOL,
        "2026/2027",
        None,
        "R64-M/2026-03",
        D(2026, 8, 28),
        D(2026, 8, 20),
        "Personāla speciāliste Laima Dimante",
    ),
    "anna-spring": (
        "Anna Bērziņa",
        RIGA_SCHOOL,
        "2025/2026",
        2,
        "R64-M/2025-11",
        D(2025, 12, 19),
        D(2025, 12, 12),
        "Personāla speciāliste Laima Dimante",
    ),
    "janis": (
        "Jānis Ozols",
        RIGA_SCHOOL,
        "2026/2027",
        1,
        "R64-M/2026-07",
        D(2026, 10, 5),
        D(2026, 9, 30),
        "Personāla speciāliste Laima Dimante",
    ),
    # A second mentor of the school, so that its payroll has more than one mentor (PAY-3).
    "liga": (
        "Līga Kalniņa",
        RIGA_SCHOOL,
        "2026/2027",
        None,
        "R64-M/2026-05",
        D(2026, 8, 31),
        D(2026, 8, 24),
        "Personāla speciāliste Laima Dimante",
    ),
    # Her spring contract: the learner whose plan is ready to be closed (evaluation.py).
    "liga-spring": (
        "Līga Kalniņa",
        RIGA_SCHOOL,
        "2025/2026",
        2,
        "R64-M/2025-12",
        D(2025, 12, 22),
        D(2025, 12, 15),
        "Personāla speciāliste Laima Dimante",
    ),
    # CON-2: a youth centre of the learner's municipality may employ the mentor.
    "ilze": (
        "Ilze Ābele",
        YOUTH_CENTRE,
        "2026/2027",
        None,
        "JCK-2026/02",
        D(2026, 9, 4),
        D(2026, 8, 31),
        "Centra vadītāja Sarmīte Mežule",
    ),
    # CON-2: for a learner of a vocational institution only that institution.
    "edgars": (
        "Edgars Čaklais",
        OGRE,
        "2026/2027",
        None,
        "OT-2026/14",
        D(2026, 9, 2),
        D(2026, 8, 26),
        "Personāldaļas vadītāja Rita Bite",
    ),
    "dace": (
        "Dace Krūmiņa",
        CESIS,
        "2026/2027",
        None,
        "CVĢ-2026/05",
        D(2026, 9, 10),
        D(2026, 9, 3),
        "Direktora vietniece Aija Siliņa",
    ),
}

# How far a plan goes, in the order of the services.
STAGES = ["draft", "pending", "accepted", "submitted", "returned", "approved"]


@dataclass
class PlanSpec:
    stage: str  # one of STAGES
    module: str
    category: str = ""
    risks: list = field(default_factory=list)
    strengths: str = ""
    interests: str = ""
    desired_results: str = ""
    monthly_hours: int = 8
    meeting_times: str = ""
    semester: tuple | None = None  # (school year, number); None: the current semester
    start_offset: int | None = None  # days after the semester start; None: the default
    measures: list = field(default_factory=list)  # (kind, provider, description)
    mentor: str = ""
    contract: str = ""
    message: str = ""
    accept_reason: str = ""
    declined_by: tuple | None = None  # (mentor, reason): asked first, said no (IAP-3)
    agreement: tuple = ()  # situation, plan, provider commits, learner commits (AGR-2)
    return_reason: str = ""
    hours_change: tuple | None = None  # (new hours, reason) (IAP-6)
    termination: tuple | None = None  # (days before today, reason) (IAP-7)
    extension_days: int | None = None  # days after the plan's end (CAL-4)


@dataclass
class LearnerSpec:
    institution: str
    first_name: str
    last_name: str
    birth_date: datetime.date
    grade: int | None = None
    course: int | None = None
    plans: list = field(default_factory=list)

    @property
    def education(self):
        return "vocational" if self.course else "general"


LEARNERS = [
    # --- Rīgas 64. vidusskola: a plan in every state --------------------------------------
    LearnerSpec(
        RIGA_SCHOOL,
        "Markuss",
        "Zālītis",
        D(2013, 6, 18),
        grade=7,
        plans=[
            PlanSpec(
                stage="draft",
                module="I",
                category="c",
                strengths="Atsaucīgs, labprāt palīdz klasesbiedriem; labi veicas sportā un "
                "dizainā un tehnoloģijās.",
                interests="Basketbols, velosipēdu remonts, galda spēles.",
                desired_results="Regulāri apmeklē stundas; laikus nodod mājasdarbus matemātikā "
                "un latviešu valodā; pats zina, kur atrast palīdzību, ja kaut kas nav saprotams.",
                monthly_hours=8,
                meeting_times="Pirmdienās un ceturtdienās pēc 15:00, skolas bibliotēkā vai "
                "tuvējā parkā.",
                measures=[
                    ("subject_consultations", "Matemātikas skolotāja", "Reizi nedēļā pēc stundām")
                ],
            )
        ],
    ),
    LearnerSpec(
        RIGA_SCHOOL,
        "Elīza",
        "Vanaga",
        D(2010, 4, 2),
        grade=10,
        plans=[
            PlanSpec(
                stage="pending",
                module="II",
                risks=[
                    ("learning_difficulties", ""),
                    ("other", "Pēc pārnākšanas no citas skolas grūti iejusties jaunajā klasē"),
                ],
                strengths="Radoša, labi zīmē un raksta; atbildīga, ja uzdevums ir skaidrs.",
                interests="Zīmēšana, komiksi, mūzika, pastaigas ar suni.",
                desired_results="Atrod vismaz vienu interešu pulciņu vai aktivitāti skolā; "
                "uzlabo vērtējumus ķīmijā un fizikā; jūtas drošāk klasē.",
                monthly_hours=10,
                meeting_times="Otrdienās pēc 14:30 vai sestdienu priekšpusdienās.",
                mentor="Anna Bērziņa",
                message="Labdien! Meklējam mentoru 10. klases skolniecei, kura šoruden pārnāca "
                "uz mūsu skolu. Viņa ir radoša, patīk zīmēt un mūzika. Vai varētu tikties "
                "otrdienās pēcpusdienā? Paldies, Baiba Sproģe",
            )
        ],
    ),
    LearnerSpec(
        RIGA_SCHOOL,
        "Daniels",
        "Ozoliņš",
        D(2012, 9, 30),
        grade=8,
        plans=[
            PlanSpec(
                stage="accepted",
                module="II",
                risks=[("re_emigrant", ""), ("learning_difficulties", "")],
                strengths="Labi runā angliski, zinātkārs, patīk strādāt ar rokām.",
                interests="Futbols, elektronika, makšķerēšana.",
                desired_results="Droši lieto latviešu valodu mācību priekšmetos; sekmīgi "
                "noslēdz semestri visos priekšmetos; atrod draugus klasē.",
                monthly_hours=12,
                meeting_times="Trešdienās un piektdienās pēc 15:30.",
                mentor="Jānis Ozols",
                contract="janis",
                message="Labdien, Jāni! 8. klases skolēns nesen atgriezies Latvijā, interesē "
                "futbols un elektronika. Vai Jums būtu laiks trešdienās?",
                accept_reason="Labprāt. Trešdienas un piektdienas pēcpusdienas man der.",
                agreement=(
                    "Daniels nesen atgriezies Latvijā un mācās latviešu valodā; dažos "
                    "priekšmetos viņam vēl grūti sekot stundām.",
                    "Tiekamies divreiz nedēļā, kopā plānojam mācību nedēļu un runājam par "
                    "to, kas izdevies un kas vēl grūti.",
                    "Ierasties uz norunātajām tikšanām, palīdzēt plānot mācības un uzklausīt.",
                    "Ierasties uz tikšanām laikā un brīdināt, ja nevaru atnākt.",
                ),
            )
        ],
    ),
    LearnerSpec(
        RIGA_SCHOOL,
        "Artjoms",
        "Petrovs",
        D(2010, 1, 21),
        grade=9,
        plans=[
            PlanSpec(
                stage="submitted",
                module="I",
                category="a",
                strengths="Labi veicas fizikā un datorikā; mierīgs un mērķtiecīgs, ja redz jēgu.",
                interests="Programmēšana, skrituļdēlis, filmas.",
                desired_results="Nokārto valsts pārbaudes darbus un iegūst apliecību par "
                "vispārējo pamatizglītību; izvēlas, kur mācīties tālāk.",
                monthly_hours=12,
                meeting_times="Pirmdienās un trešdienās pēc 15:00.",
                measures=[
                    ("consultative_support", "Karjeras konsultante", "Tālākizglītības izvēle")
                ],
                mentor="Anna Bērziņa",
                contract="anna",
                message="Labdien, Anna! Artjoms atkārto 9. klasi; viņam palīdzētu pieaugušais, "
                "ar kuru kopā plānot mācības līdz eksāmeniem.",
                accept_reason="Jā, labprāt. Pirmdienas un trešdienas der.",
                agreement=(
                    "Artjoms atkārto 9. klasi un vēlas šogad iegūt apliecību par pamatizglītību.",
                    "Reizi nedēļā kopā sastādām nedēļas mācību plānu un pārrunājam, kā veicies; "
                    "pirms pārbaudes darbiem tiekamies biežāk.",
                    "Atbalstīt, iedrošināt un palīdzēt plānot laiku; ievērot konfidencialitāti.",
                    "Ierasties uz tikšanām, godīgi pastāstīt, kas neizdodas, un pildīt "
                    "kopā norunāto.",
                ),
            )
        ],
    ),
    LearnerSpec(
        RIGA_SCHOOL,
        "Sofija",
        "Kravčenko",
        D(2009, 8, 11),
        grade=11,
        plans=[
            PlanSpec(
                stage="returned",
                module="II",
                risks=[("immigrant", ""), ("learning_difficulties", "")],
                strengths="Centīga, laba matemātikā, mērķtiecīga; labi sadarbojas pārī.",
                interests="Volejbols, fotografēšana, ceļošana.",
                desired_results="Droši lieto latviešu valodu stundās; iesaistās skolas dzīvē; "
                "sāk gatavoties centralizētajiem eksāmeniem.",
                monthly_hours=10,
                meeting_times="Ceturtdienās pēc 16:00 vai sestdienās.",
                measures=[("reading_lessons", "Latviešu valodas skolotāja", "")],
                mentor="Jānis Ozols",
                contract="janis",
                message="Labdien! 11. klases skolniecei, kura Latvijā dzīvo otro gadu, noderētu "
                "mentors. Vai Jums būtu laiks ceturtdienās?",
                accept_reason="Jā, varu.",
                agreement=(
                    "Sofija Latvijā dzīvo otro gadu; mācību valoda viņai vēl sagādā grūtības.",
                    "Tiekamies reizi nedēļā, runājam latviski par viņas interesēm un kopā "
                    "plānojam mācības.",
                    "Atbalstīt, runāt latviski un palīdzēt atrast iespējas iesaistīties.",
                    "Ierasties uz tikšanām un runāt latviski, cik vien varu.",
                ),
                return_reason="Augšupielādētajā vienošanās skenējumā nav izglītojamās paraksta. "
                "Lūdzu, augšupielādējiet pilnībā parakstītu vienošanos un iesniedziet plānu "
                "vēlreiz.",
            )
        ],
    ),
    LearnerSpec(
        RIGA_SCHOOL,
        "Kristers",
        "Lapiņš",
        D(2012, 2, 27),
        grade=8,
        plans=[
            PlanSpec(
                stage="approved",
                start_offset=13,
                module="I",
                category="c",
                strengths="Laba humora izjūta, veikls sportā, uzticams komandā.",
                interests="Hokejs, BMX, mūzika.",
                desired_results="Kavējumu bez attaisnojuma kļūst mazāk; uzlabo vērtējumus "
                "matemātikā; pats plāno laiku mājasdarbiem.",
                monthly_hours=10,
                meeting_times="Pirmdienās un ceturtdienās pēc 15:00 (pēc treniņa).",
                mentor="Anna Bērziņa",
                contract="anna",
                message="Labdien, Anna! Kristers ir 8. klasē, daudz kavē un zaudē interesi par "
                "mācībām. Viņam patīk hokejs. Vai varētu palīdzēt?",
                accept_reason="Labprāt! Pirmdienās un ceturtdienās varu.",
                agreement=(
                    "Kristers bieži kavē pirmās stundas un nenodod mājasdarbus matemātikā; pats "
                    "vēlas to mainīt.",
                    "Tiekamies reizi nedēļā, pirms pārbaudes darbiem biežāk; kopā veidojam "
                    "nedēļas plānu un sekojam, kā veicas ar mājasdarbiem.",
                    "Ierasties uz norunātajām tikšanām, atbalstīt un iedrošināt.",
                    "Ierasties uz tikšanām, laikā nākt uz stundām un pastāstīt, ja kaut kas "
                    "traucē.",
                ),
                hours_change=(
                    12,
                    "Decembrī ir semestra pārbaudes darbi; vienojāmies par vēl vienu tikšanos "
                    "nedēļā.",
                ),
            )
        ],
    ),
    LearnerSpec(
        RIGA_SCHOOL,
        "Paula",
        "Krastiņa",
        D(2010, 3, 9),
        grade=11,
        plans=[
            # Last spring's plan, extended into the summer for a re-examination (CAL-4).
            PlanSpec(
                stage="approved",
                semester=("2025/2026", 2),
                start_offset=0,
                module="II",
                risks=[("learning_difficulties", "")],
                strengths="Draudzīga, empātiska, laba klausītāja; dzied korī.",
                interests="Koris, cepšana, dzīvnieki.",
                desired_results="Sekmīgi noslēdz 10. klasi; sagatavojas un nokārto "
                "pārcelšanas pārbaudījumu matemātikā.",
                monthly_hours=16,
                meeting_times="Otrdienās un piektdienās pēc 15:00.",
                measures=[("subject_consultations", "Matemātikas skolotājs", "")],
                mentor="Anna Bērziņa",
                contract="anna-spring",
                message="Labdien, Anna! Paulai 10. klasē grūti ar matemātiku; vai varētu būt "
                "viņas mentore pavasara semestrī?",
                accept_reason="Jā.",
                agreement=(
                    "Paulai grūtības ar matemātiku; pastāv risks nepāriet uz 11. klasi.",
                    "Tiekamies divreiz nedēļā, plānojam mācības un sekojam konsultāciju "
                    "apmeklējumam.",
                    "Atbalstīt, palīdzēt plānot laiku un iedrošināt.",
                    "Apmeklēt konsultācijas un tikšanās, pildīt kopā norunāto.",
                ),
                extension_days=21,
            ),
            # IAP-8: risks remain, so a new plan for this semester, with the same mentor.
            PlanSpec(
                stage="approved",
                start_offset=6,
                module="II",
                risks=[("learning_difficulties", ""), ("family_conditions", "")],
                strengths="Draudzīga, empātiska, laba klausītāja; dzied korī.",
                interests="Koris, cepšana, seriāli, dzīvnieki.",
                desired_results="Noturīgi mācību ieradumi; matemātikā vērtējums vismaz 5; "
                "skaidrs plāns par studijām vai profesiju pēc 12. klases.",
                monthly_hours=10,
                meeting_times="Otrdienās un piektdienās pēc 15:00.",
                mentor="Anna Bērziņa",
                contract="anna",
                message="Labdien, Anna! Turpināsim ar Paulu arī šajā mācību gadā?",
                accept_reason="Protams, turpinām.",
                agreement=(
                    "Paula pārgāja uz 11. klasi; matemātika joprojām sagādā grūtības, un "
                    "viņa vēl nav izlēmusi, ko darīt pēc vidusskolas.",
                    "Tiekamies reizi nedēļā; plānojam mācības un kopā izzinām studiju un "
                    "profesiju iespējas.",
                    "Atbalstīt, iedrošināt un palīdzēt atrast informāciju.",
                    "Ierasties uz tikšanām un pildīt kopā norunāto.",
                ),
            ),
        ],
    ),
    LearnerSpec(
        RIGA_SCHOOL,
        "Toms",
        "Vilks",
        D(2009, 5, 15),
        grade=12,
        plans=[
            PlanSpec(
                stage="approved",
                start_offset=9,
                module="II",
                risks=[("family_conditions", "")],
                strengths="Prasmīgs ar tehniku, izpalīdzīgs, patstāvīgs.",
                interests="Auto, mūzikas veidošana datorā, skrituļslidošana.",
                desired_results="Regulāri apmeklē skolu un sekmīgi beidz 12. klasi.",
                monthly_hours=8,
                meeting_times="Piektdienās pēc 14:00 jauniešu centrā.",
                mentor="Ilze Ābele",
                contract="ilze",
                message="Labdien, Ilze! 12. klases skolēnam noderētu atbalsts līdz skolas "
                "beigšanai. Tikties varētu jauniešu centrā „Kaņieris”.",
                accept_reason="Jā, piektdienas man der.",
                agreement=(
                    "Toms mācās 12. klasē un bieži kavē; vēlas pabeigt vidusskolu.",
                    "Tiekamies reizi nedēļā jauniešu centrā; kopā plānojam mācības un "
                    "gatavošanos eksāmeniem.",
                    "Atbalstīt, uzklausīt un palīdzēt plānot laiku.",
                    "Ierasties uz tikšanām un brīdināt, ja nevaru atnākt.",
                ),
                termination=(
                    19,
                    "Izglītojamais kopā ar ģimeni pārcēlās uz citu pilsētu un turpina mācības "
                    "citā skolā.",
                ),
            )
        ],
    ),
    # Līga Kalniņa's learner: a second mentor on the school's payroll (PAY-3).
    LearnerSpec(
        RIGA_SCHOOL,
        "Emīls",
        "Strautiņš",
        D(2011, 3, 14),
        grade=9,
        plans=[
            PlanSpec(
                stage="approved",
                start_offset=3,
                module="II",
                risks=[("learning_difficulties", ""), ("family_conditions", "")],
                strengths="Mierīgs, labi zīmē, rūpējas par jaunāko brāli.",
                interests="Zīmēšana, datorspēles, riteņbraukšana.",
                desired_results="Nokārto 9. klases pārbaudes darbus; mājasdarbus nodod laikā; "
                "izvēlas, kur mācīties pēc pamatskolas.",
                monthly_hours=8,
                meeting_times="Ceturtdienās pēc 15:00.",
                mentor="Līga Kalniņa",
                contract="liga",
                message="Labdien, Līga! 9. klases skolēnam, kuram mājās daudz pienākumu, "
                "noderētu mentore. Vai ceturtdienas Jums der?",
                accept_reason="Jā, ceturtdienas pēcpusdienas man der.",
                agreement=(
                    "Emīls pēc stundām pieskata jaunāko brāli; mājasdarbiem neatliek laika, un "
                    "vērtējumi matemātikā un latviešu valodā krītas.",
                    "Tiekamies reizi nedēļā; kopā plānojam nedēļu un gatavojamies pārbaudes "
                    "darbiem.",
                    "Atbalstīt, palīdzēt plānot laiku un kopā izzināt tālākās izglītības iespējas.",
                    "Ierasties uz tikšanām un pastāstīt, ja kaut kas traucē mācīties.",
                ),
            )
        ],
    ),
    # Last spring's plans at their end (skola_kopiena/demo/evaluation.py): closed after the
    # mentor's evaluation; ready to be closed; waiting for the mentor's evaluation; and one whose
    # evaluation the preparer has not started yet.
    LearnerSpec(
        RIGA_SCHOOL,
        "Matīss",
        "Upenieks",
        D(2012, 10, 3),
        grade=8,
        plans=[
            PlanSpec(
                stage="approved",
                semester=("2025/2026", 2),
                start_offset=7,
                module="I",
                category="c",
                strengths="Atjautīgs, labi veicas ar datoriem, patīk konstruēt.",
                interests="Robotika, šahs, riteņbraukšana.",
                desired_results="Kavējumu bez attaisnojuma kļūst mazāk; mājasdarbus nodod "
                "laikā; uzlabo vērtējumu matemātikā.",
                monthly_hours=8,
                meeting_times="Trešdienās pēc 15:00.",
                mentor="Anna Bērziņa",
                contract="anna-spring",
                message="Labdien, Anna! 7. klases skolēns bieži kavē rīta stundas; viņu "
                "interesē robotika. Vai trešdienas Jums der?",
                accept_reason="Jā, trešdienas der.",
                agreement=(
                    "Matīss bieži kavē pirmās stundas un nenodod mājasdarbus; pats vēlas to "
                    "mainīt.",
                    "Tiekamies reizi nedēļā; kopā veidojam nedēļas plānu un sekojam kavējumiem "
                    "un mājasdarbiem.",
                    "Ierasties uz tikšanām, atbalstīt un palīdzēt plānot laiku.",
                    "Ierasties uz tikšanām un pastāstīt, ja kaut kas traucē.",
                ),
            )
        ],
    ),
    LearnerSpec(
        RIGA_SCHOOL,
        "Dāvis",
        "Ziemelis",
        D(2009, 9, 25),
        grade=11,
        plans=[
            PlanSpec(
                stage="approved",
                semester=("2025/2026", 2),
                start_offset=10,
                module="II",
                risks=[("family_conditions", "")],
                strengths="Mierīgs, uzticams, labi spēlē basketbolu.",
                interests="Basketbols, mūzika, velosipēdi.",
                desired_results="Regulāri apmeklē stundas; sekmīgi noslēdz 10. klasi bez "
                "nepietiekamiem vērtējumiem.",
                monthly_hours=8,
                meeting_times="Ceturtdienās pēc 15:00.",
                mentor="Līga Kalniņa",
                contract="liga-spring",
                message="Labdien, Līga! 10. klases skolēnam noderētu mentore pavasara "
                "semestrī. Vai ceturtdienas Jums der?",
                accept_reason="Jā, ceturtdienās varu.",
                agreement=(
                    "Dāvim mājās daudz pienākumu; viņš sāka kavēt stundas, un vērtējumi krītas.",
                    "Tiekamies reizi nedēļā; kopā plānojam nedēļu un sekojam sekmēm.",
                    "Atbalstīt, uzklausīt un palīdzēt plānot laiku.",
                    "Ierasties uz tikšanām un apmeklēt stundas.",
                ),
            )
        ],
    ),
    LearnerSpec(
        RIGA_SCHOOL,
        "Alise",
        "Grīnberga",
        D(2010, 7, 19),
        grade=11,
        plans=[
            PlanSpec(
                stage="approved",
                semester=("2025/2026", 2),
                start_offset=14,
                module="II",
                risks=[("learning_difficulties", "")],
                strengths="Radoša, labi raksta, palīdz klasesbiedriem.",
                interests="Teātris, rakstīšana, suņi.",
                desired_results="Uzlabo vērtējumus ķīmijā un fizikā; pati plāno mācību laiku.",
                monthly_hours=8,
                meeting_times="Pirmdienās pēc 15:00.",
                mentor="Anna Bērziņa",
                contract="anna-spring",
                message="Labdien, Anna! 10. klases skolniecei grūti ar dabaszinātnēm; vai "
                "varētu palīdzēt viņai pavasara semestrī?",
                accept_reason="Labprāt, pirmdienas man der.",
                agreement=(
                    "Alisei grūtības ķīmijā un fizikā; viņa bieži atliek mājasdarbus.",
                    "Tiekamies reizi nedēļā; kopā plānojam mācības un sekojam konsultācijām.",
                    "Atbalstīt, iedrošināt un palīdzēt plānot laiku.",
                    "Ierasties uz tikšanām un apmeklēt konsultācijas.",
                ),
            )
        ],
    ),
    LearnerSpec(
        RIGA_SCHOOL,
        "Elza",
        "Jaunzeme",
        D(2012, 4, 22),
        grade=8,
        plans=[
            PlanSpec(
                stage="approved",
                semester=("2025/2026", 2),
                start_offset=7,
                module="II",
                risks=[("re_emigrant", ""), ("learning_difficulties", "")],
                strengths="Zinātkāra, labi runā angliski, patīk zīmēt.",
                interests="Zīmēšana, peldēšana, dzīvnieki.",
                desired_results="Droši lieto latviešu valodu stundās; atrod draugus klasē; "
                "sekmīgi noslēdz 7. klasi.",
                monthly_hours=8,
                meeting_times="Ceturtdienās pēc 15:30.",
                mentor="Anna Bērziņa",
                contract="anna-spring",
                message="Labdien, Anna! 7. klases skolniece nesen atgriezusies Latvijā; vai "
                "varētu būt viņas mentore?",
                accept_reason="Jā, ceturtdienas pēcpusdienas der.",
                agreement=(
                    "Elza nesen atgriezās Latvijā; mācību valoda un jaunā klase viņai vēl "
                    "sagādā grūtības.",
                    "Tiekamies reizi nedēļā; runājam latviski, plānojam mācības un meklējam "
                    "interešu pulciņu.",
                    "Atbalstīt, runāt latviski un palīdzēt iejusties skolā.",
                    "Ierasties uz tikšanām un runāt latviski, cik vien varu.",
                ),
            )
        ],
    ),
    # ELIG-1: registered, but twelve years old: the plan form says why there is no mentor yet.
    LearnerSpec(RIGA_SCHOOL, "Emīlija", "Siliņa", D(2014, 2, 10), grade=6),
    # --- Ogres tehnikums (vocational: courses, CON-2: only the school employs) ---------------
    LearnerSpec(
        OGRE,
        "Ralfs",
        "Dzenis",
        D(2010, 7, 3),
        course=1,
        plans=[
            PlanSpec(
                stage="approved",
                start_offset=14,
                module="I",
                category="b",
                strengths="Prasmīgs praktiskajās mācībās, patīk metālapstrāde.",
                interests="Motocikli, makšķerēšana.",
                desired_results="Sekmīgi noslēdz 1. kursa pirmo semestri; neizkavē praktiskās "
                "mācības.",
                monthly_hours=10,
                meeting_times="Otrdienās un ceturtdienās pēc 15:30 dienesta viesnīcā vai pilsētā.",
                mentor="Edgars Čaklais",
                contract="edgars",
                message="Labdien! 1. kursa audzēknim noderētu mentors; viņu interesē motocikli.",
                accept_reason="Labprāt.",
                agreement=(
                    "Ralfs pamatskolu pabeidza ar liecību un sāka mācības tehnikumā; "
                    "vispārizglītojošajos priekšmetos viņam klājas grūti.",
                    "Tiekamies divreiz nedēļā; kopā plānojam mācības un sekojam sekmēm.",
                    "Atbalstīt un palīdzēt plānot laiku.",
                    "Ierasties uz tikšanām un apmeklēt nodarbības.",
                ),
            )
        ],
    ),
    LearnerSpec(
        OGRE,
        "Viktorija",
        "Sokolova",
        D(2009, 11, 12),
        course=2,
        plans=[
            PlanSpec(
                stage="submitted",
                module="II",
                risks=[("minority", ""), ("family_conditions", "")],
                strengths="Precīza, radoša, labi strādā komandā.",
                interests="Frizieru māksla, dejas, ceļošana.",
                desired_results="Sekmīgi noslēdz semestri; atrod prakses vietu.",
                monthly_hours=8,
                meeting_times="Pirmdienās pēc 16:00.",
                declined_by=(
                    "Raimonds Šmits",
                    "Šajā semestrī man jau ir pilna slodze, diemžēl nevarēšu.",
                ),
                mentor="Edgars Čaklais",
                contract="edgars",
                message="Labdien! 2. kursa audzēknei noderētu mentors; vai pirmdienas Jums der?",
                accept_reason="Jā, varu pirmdienās.",
                agreement=(
                    "Viktorijai grūti apvienot mācības un darbu; pastāv risks pārtraukt mācības.",
                    "Tiekamies reizi nedēļā; kopā plānojam laiku un meklējam prakses vietu.",
                    "Atbalstīt, palīdzēt plānot laiku un meklēt informāciju.",
                    "Ierasties uz tikšanām un pildīt kopā norunāto.",
                ),
            )
        ],
    ),
    # --- Cēsu Valsts ģimnāzija ----------------------------------------------------------------
    LearnerSpec(
        CESIS,
        "Katrīna",
        "Priedīte",
        D(2012, 5, 22),
        grade=8,
        plans=[
            PlanSpec(
                stage="approved",
                start_offset=20,
                module="I",
                category="c",
                strengths="Zinātkāra, laba lasītāja, rūpīga.",
                interests="Grāmatas, jāšana, dabas foto.",
                desired_results="Regulāri apmeklē stundas; uzlabo vērtējumus dabaszinībās.",
                monthly_hours=8,
                meeting_times="Trešdienās pēc 15:00 Cēsu bibliotēkā.",
                mentor="Dace Krūmiņa",
                contract="dace",
                message="Labdien, Dace! 8. klases skolniecei noderētu mentore.",
                accept_reason="Jā, labprāt.",
                agreement=(
                    "Katrīna pēdējā laikā bieži kavē un zaudējusi interesi par mācībām.",
                    "Tiekamies reizi nedēļā bibliotēkā; kopā plānojam mācības.",
                    "Atbalstīt un iedrošināt.",
                    "Ierasties uz tikšanām un apmeklēt stundas.",
                ),
            )
        ],
    ),
    LearnerSpec(
        CESIS,
        "Gustavs",
        "Mednis",
        D(2010, 10, 8),
        grade=10,
        plans=[
            PlanSpec(
                stage="pending",
                module="II",
                risks=[("learning_difficulties", ""), ("special_needs", "")],
                strengths="Labi orientējas dabā, patīk strādāt ar rokām.",
                interests="Orientēšanās sports, koka darbi.",
                desired_results="Sekmīgi noslēdz semestri; izmanto skolas atbalsta iespējas.",
                monthly_hours=6,
                meeting_times="Piektdienās pēc 14:00.",
                mentor="Dace Krūmiņa",
                message="Labdien, Dace! Vai varētu būt mentore arī 10. klases skolēnam?",
            )
        ],
    ),
]


# --- Helpers --------------------------------------------------------------------------------


def _ascii(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def pdf_file(name, title, lines=()):
    """A small one-page PDF that opens in any viewer (the standard fonts have no Latvian
    letters, so the text is written without diacritics); `lines` are printed below."""
    texts = [_ascii(title), "Skola - kopiena: demonstracijas dati, nav ista dokumenta."]
    texts += [_ascii(line) for line in lines]
    texts = [t.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for t in texts]
    rows = "".join(f" /F1 10 Tf 0 -16 Td ({text}) Tj" for text in texts[2:])
    stream = (
        f"BT /F1 16 Tf 72 770 Td ({texts[0]}) Tj /F1 11 Tf 0 -28 Td ({texts[1]}) Tj{rows} ET"
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return SimpleUploadedFile(name, bytes(out), content_type="application/pdf")


def _staff_user(email, first, last, role, institution):
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, first_name=first, last_name=last)
        user.set_unusable_password()  # no demo login: only the five printed ones have one
        user.save()
    RoleMembership.objects.get_or_create(user=user, role=role, institution=institution)
    return user


def _mentor_user(mentor, actor):
    """The mentor's login (to answer invitations); made as the registry import makes it."""
    mentor.refresh_from_db(fields=["user"])  # a login made for a plan rolled back is gone
    if mentor.user_id is None:
        mentor.user = mentor_account_ensure(actor=actor, mentor=mentor)
        mentor.save(update_fields=["user"])
    return mentor.user


class DemoPlans:
    def __init__(self, institutions, mentors, warn):
        self.institutions = institutions
        self.mentors = {m.full_name: m for m in mentors}
        self.warn = warn
        self.admin = User.objects.get(email="admin@demo.lv")
        self.staff = {}
        for name, (preparer, approver) in SCHOOL_STAFF.items():
            school = institutions[name]
            self.staff[name] = (
                _staff_user(*preparer, Role.PREPARER, school),
                _staff_user(*approver, Role.APPROVER, school),
            )
        self.contracts = {}

    def contract(self, key):
        if key not in self.contracts:
            mentor, employer, year, number, contract_number, signed, checked, by = CONTRACTS[key]
            mentor = self.mentors[mentor]
            employer = self.institutions[employer]
            semester = Semester.objects.filter(school_year__name=year, number=number or 1).first()
            if semester is None:
                raise ValidationError(f"No school year {year} in the calendar.")
            period = semester if number else None
            contract = Contract.objects.filter(
                mentor=mentor, employer=employer, school_year=semester.school_year, semester=period
            ).first()
            if contract is None:
                preparer = self.staff.get(employer.name, self.staff[RIGA_SCHOOL])[0]
                contract = contract_create(
                    actor=preparer,
                    mentor=mentor,
                    employer=employer,
                    school_year=semester.school_year,
                    semester=period,
                    contract_number=contract_number,
                    signed_on=signed,
                    background_check_date=checked,
                    background_check_by=by,
                    signed_file=pdf_file("darba-ligums.pdf", f"Darba ligums Nr. {contract_number}"),
                )
            self.contracts[key] = contract
        return self.contracts[key]

    def run(self):
        for spec in LEARNERS:
            school = self.institutions[spec.institution]
            preparer, approver = self.staff[spec.institution]
            learner = Learner.objects.filter(
                institution=school,
                first_name__iexact=spec.first_name,
                last_name__iexact=spec.last_name,
                birth_date=spec.birth_date,
            ).first()
            if learner is None:
                learner = services.learner_register(
                    actor=preparer,
                    institution=school,
                    first_name=spec.first_name,
                    last_name=spec.last_name,
                    birth_date=spec.birth_date,
                    education=spec.education,
                    grade=spec.grade,
                    course=spec.course,
                )
            for plan_spec in spec.plans:
                if plan_spec.semester:
                    year, number = plan_spec.semester
                    semester = Semester.objects.filter(
                        school_year__name=year, number=number
                    ).first()
                else:
                    semester = current_semester()
                if semester is None:
                    continue
                if Plan.objects.filter(learner=learner, semester=semester).exists():
                    continue  # IAP-1: already there (an earlier run, or changed by hand)
                try:
                    with transaction.atomic():
                        self.plan(learner, semester, plan_spec, preparer, approver)
                except ValidationError as error:
                    # A contract made for this plan was rolled back with it: look it up again.
                    self.contracts.clear()
                    self.warn(f"Demo plan of {learner} ({semester}) skipped: {error}")

    def plan(self, learner, semester, spec, preparer, approver):
        stage = STAGES.index(spec.stage)
        # The services' default start is today (or the semester's first day); a plan that has
        # been running for a while starts `start_offset` days into the semester.
        start = services.plan_default_dates(learner, semester)[0]
        if spec.start_offset is not None:
            first_day = semester_dates(semester, learner.institution, learner.grade)[0]
            wanted = first_day + datetime.timedelta(days=spec.start_offset)
            start = max(min(wanted, start), first_day)
        plan = services.plan_create(
            actor=preparer,
            learner=learner,
            semester=semester,
            module=spec.module,
            category=spec.category,
            risks=spec.risks,
            start_date=start,
            strengths=spec.strengths,
            interests=spec.interests,
            desired_results=spec.desired_results,
            monthly_hours=spec.monthly_hours,
            meeting_times=spec.meeting_times,
        )
        for kind, provider, description in spec.measures:
            services.measure_add(
                actor=preparer, plan=plan, kind=kind, provider=provider, description=description
            )
        if spec.declined_by:
            name, reason = spec.declined_by
            other = self.mentors[name]
            invitation = services.invitation_send(
                actor=preparer, plan=plan, mentor=other, message=spec.message
            )
            other_user = _mentor_user(other, self.admin)
            services.invitation_decline(actor=other_user, invitation=invitation, reason=reason)
        if not spec.mentor:
            return plan
        mentor = self.mentors[spec.mentor]
        invitation = services.invitation_send(
            actor=preparer, plan=plan, mentor=mentor, message=spec.message
        )
        if stage < STAGES.index("accepted"):
            return plan
        mentor_user = _mentor_user(mentor, self.admin)
        services.invitation_accept(
            actor=mentor_user, invitation=invitation, reason=spec.accept_reason
        )
        if spec.contract:
            services.plan_attach_contract(
                actor=preparer, plan=plan, contract=self.contract(spec.contract)
            )
        situation, situation_plan, provider_commits, learner_commits = spec.agreement
        services.plan_save_agreement(
            actor=preparer,
            plan=plan,
            situation=situation,
            situation_plan=situation_plan,
            provider_commits=provider_commits,
            learner_commits=learner_commits,
        )
        if stage < STAGES.index("submitted"):
            return plan  # AGR-3: the application and the signed agreement are missing
        own = "izglitojama" if plan.learner_is_adult else "vecaka"
        services.plan_upload_application(
            actor=preparer,
            plan=plan,
            file=pdf_file("iesniegums.pdf", f"{own.capitalize()} iesniegums: {learner}"),
        )
        services.plan_upload_agreement_scan(
            actor=preparer,
            plan=plan,
            file=pdf_file("vienosanas.pdf", f"Vienosanas ar izglitojamo: {learner}"),
        )
        services.plan_submit(actor=preparer, plan=plan)
        if stage < STAGES.index("returned"):
            return plan
        if spec.stage == "returned":
            return services.plan_return(actor=approver, plan=plan, reason=spec.return_reason)
        plan = services.plan_approve(actor=approver, plan=plan)
        if spec.hours_change:
            hours, reason = spec.hours_change
            plan = services.plan_change_hours(
                actor=preparer, plan=plan, monthly_hours=hours, reason=reason
            )
        if spec.termination:
            days, reason = spec.termination
            day = timezone.localdate() - datetime.timedelta(days=days)
            day = min(max(day, plan.start_date), plan.end_date)
            plan = services.plan_terminate(
                actor=preparer, plan=plan, terminated_on=day, reason=reason
            )
        if spec.extension_days:
            until = plan.end_date + datetime.timedelta(days=spec.extension_days)
            # A plan is extended while it runs; a past plan's extension is replayed on the
            # week before its end, as it happened (the demo depends on the dev tools anyway).
            with _on_day(plan.end_date - datetime.timedelta(days=7)):
                plan = services.plan_extend(
                    actor=preparer,
                    plan=plan,
                    extended_until=min(until, semester.school_year.end_date),
                    order_file=pdf_file(
                        "rikojums.pdf", f"Rikojums par papildu macibu pasakumiem: {learner}"
                    ),
                )
        return plan


def _on_day(day):
    """The clock on `day` at noon in Riga if that is in the past; else no change."""
    import contextlib

    if day >= timezone.localdate():
        return contextlib.nullcontext()
    import time_machine

    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())
    return time_machine.travel(noon, tick=True)


def create_plans(*, institutions, mentors, warn):
    DemoPlans(institutions, mentors, warn).run()
