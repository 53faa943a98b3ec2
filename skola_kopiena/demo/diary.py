"""Diaries of `manage.py demo`: meetings, month ends and hours approval, through the services.

Every entry goes through `diary.services` (DIA, CAL, CAP-2, CAP-3) as the plan's mentor, every
month end through `month_upload_scan` / `month_confirm`, and every decision through
`timesheets.services` as the employer's approver, so the history names who did what.

The diary is laid out around `timezone.localdate()`, so the data stays plausible on any day:
meetings that have ended carry a result, those still ahead are planned (no result) and go at
most four weeks ahead; a month is confirmed once it is over. Month ends and decisions are
made on the days they would have happened (`_on_day`): the mentor confirms on the second day
of the following month, the employer decides before its deadline (APR-2), so that the payroll
closed after the deadline (skola_kopiena/demo/payroll.py) holds what was approved by then.
Idempotent: a plan whose diary already has anything is left as it is.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from diary import services as diary_services
from diary.models import DiaryEntry, DiaryMonth, month_start, next_month_start
from iap.models import Learner, Plan
from iap.services import plan_allows_mentoring
from skola_kopiena.accounts.models import Role, RoleMembership
from skola_kopiena.demo.plans import CESIS, OGRE, RIGA_SCHOOL, _on_day, pdf_file
from skola_kopiena.schools.calendar import current_semester
from skola_kopiena.schools.models import Semester
from timesheets import services as approval_services

T = datetime.time
MON, TUE, WED, THU, FRI = range(5)
PLANNING_AHEAD = datetime.timedelta(days=28)  # DIA-3: the coming weeks' meetings are planned
CLOSING_WEEKS = datetime.timedelta(days=14)  # the semester's last two weeks: its closing topics
TOPIC_LISTS = ("opening", "topics", "closing", "extension")


@dataclass
class Slot:
    """A regular meeting time: `hours` academic hours (DIA-4) from `start` on `weekday`."""

    weekday: int
    start: datetime.time
    hours: int = 2
    every_other_week: bool = False  # only in even ISO weeks
    months: tuple = ()  # only in these calendar months (empty: always)

    def fits(self, day):
        return (
            day.weekday() == self.weekday
            and not (self.every_other_week and day.isocalendar().week % 2)
            and (not self.months or day.month in self.months)
        )


@dataclass
class DiarySpec:
    institution: str
    learner: tuple  # first and last name
    semester: tuple | None  # (school year, number); None: the current semester
    slots: list
    places: list  # the usual places, taken in turn when a topic names none
    opening: list  # (topic, result, place or None, hours or None) of the first meetings
    topics: list  # ... then these, in turn
    closing: list = field(default_factory=list)  # ... and these in the semester's last weeks
    extension: list = field(default_factory=list)  # ... and these in a summer extension (CAL-4)
    comments: list = field(default_factory=list)  # optional (DIA-2): on every third meeting
    # Statuses of the last months that are over, oldest first (the employer returned or has
    # not yet approved them); the earlier ones are approved once the employer's deadline
    # (APR-2) has passed, and wait for approval until then.
    last_months: tuple = ()
    return_reason: str = ""  # APR-3; {date}: a meeting of the returned month
    # The employer approves this plan's months the day after they are confirmed, long before
    # its deadline: last month is approved whatever the day, so there is always something to
    # close for payroll (PAY-6).
    approved_at_once: bool = False


DIARIES = [
    # Anna's spring plan of 2025/2026, extended for a re-examination (CAL-4): a whole semester
    # of history. The employer returned May (a signature missing); June waits for approval.
    DiarySpec(
        RIGA_SCHOOL,
        ("Paula", "Krastiņa"),
        ("2025/2026", 2),
        slots=[Slot(TUE, T(15, 0)), Slot(FRI, T(15, 0), hours=3, every_other_week=True)],
        places=[
            "Rīgas Centrālā bibliotēka",
            "Kafejnīca Tērbatas ielā",
            "Latvijas Nacionālā bibliotēka, lasītava",
        ],
        opening=[
            (
                "Iepazīšanās; vienošanās par tikšanās laikiem un kopīgiem noteikumiem",
                "Vienojāmies tikties otrdienās un piektdienās pēc stundām; Paula pastāstīja par "
                "kori un par to, kuri priekšmeti viņai padodas vislabāk.",
                "Kafejnīca Tērbatas ielā",
                2,
            ),
            (
                "Semestra mērķi: kas jāpaveic matemātikā līdz maijam",
                "Pierakstījām trīs mērķus semestrim; Paula nolēma ceturtdienās apmeklēt "
                "matemātikas konsultācijas.",
                None,
                3,
            ),
        ],
        topics=[
            (
                "Nedēļas plāns: mājasdarbi, konsultācijas un kora mēģinājumi",
                "Sastādījām nedēļas plānu; mājasdarbiem atvēlēts laiks pirms kora mēģinājumiem.",
                None,
                None,
            ),
            (
                "Atkārtošana pirms kontroldarba matemātikā",
                "Paula sadalīja atkārtojamās tēmas pa dienām un pierakstīja jautājumus "
                "konsultācijai.",
                "Rīgas Centrālā bibliotēka",
                None,
            ),
            (
                "Kā veicās konsultācijās: kas kļuvis skaidrāks",
                "Paula apmeklēja abas nedēļas konsultācijas; vienojāmies jautājumus pierakstīt "
                "jau stundā.",
                None,
                None,
            ),
            (
                "Pastaiga un saruna par to, kas palīdz mācīties",
                "Paula secināja, ka brīvdienās no rīta viņai mācīties ir vieglāk; pielāgojām "
                "nedēļas plānu.",
                "Vērmanes dārzs",
                None,
            ),
            (
                "Kontroldarba rezultāts un nākamie soļi",
                "Pārrunājām kontroldarbu; Paula pati atrada divas tēmas, kas jāatkārto, un "
                "pierakstījās konsultācijai.",
                None,
                None,
            ),
            (
                "Profesiju izpēte: darbs ar dabu un dzīvniekiem",
                "Muzejā runājām par profesijām, kas saistītas ar dabu un dzīvniekiem; Paula "
                "pierakstīja divas mācību iestādes, par kurām uzzināt vairāk.",
                "Latvijas Dabas muzejs",
                3,
            ),
            (
                "Laika plānošana: mācības, koris un atpūta",
                "Paula uzzīmēja savu nedēļas grafiku un atrada divas brīvas stundas atkārtošanai.",
                None,
                None,
            ),
            (
                "Motivācija: kāpēc man tas ir svarīgi",
                "Runājām par to, ko Paula vēlas sasniegt līdz 12. klasei; viņa pierakstīja "
                "savus iemeslus piezīmju grāmatiņā.",
                "Kronvalda parks",
                None,
            ),
            (
                "Konditora profesija: ko tā prasa",
                "Apskatījām konditoru mācību programmas; Paula secināja, ka matemātika noderēs "
                "arī tur.",
                "Kafejnīca Tērbatas ielā",
                None,
            ),
            (
                "Mājasdarbu pārskats un nākamās nedēļas plāns",
                "Visi mājasdarbi nodoti laikā; nākamnedēļ vairāk laika ģeometrijai.",
                None,
                None,
            ),
            (
                "Kora koncerts un mācības: kā visu paspēt",
                "Paula ieplānoja atkārtošanu pirms koncerta nedēļas, lai mēģinājumi netraucētu "
                "mācībām.",
                None,
                None,
            ),
            (
                "Mākslas muzeja apmeklējums: kas iedvesmo",
                "Paula izvēlējās trīs darbus, kas viņai patika, un pastāstīja, kāpēc; runājām "
                "par to, kā atpūsties no mācībām.",
                "Latvijas Nacionālais mākslas muzejs",
                3,
            ),
            (
                "Mācīšanās kopā ar klasesbiedreni",
                "Paula sarunāja ar klasesbiedreni kopā risināt uzdevumus pirms kontroldarbiem.",
                None,
                None,
            ),
        ],
        closing=[
            (
                "Gatavošanās semestra noslēguma darbiem",
                "Sastādījām atkārtošanas grafiku pa tēmām un datumiem.",
                "Latvijas Nacionālā bibliotēka, lasītava",
                3,
            ),
            (
                "Kā mazināt satraukumu pirms pārbaudes darba",
                "Izrunājām, kas palīdz nomierināties; Paula izvēlējās īsu pastaigu pirms mācībām.",
                "Esplanāde",
                None,
            ),
            (
                "Semestra noslēgums un vienošanās par jūniju",
                "Paula uzskaitīja, kas izdevies: konsultācijas apmeklētas, mājasdarbi nodoti "
                "laikā. Vienojāmies tikties arī jūnijā līdz pārcelšanas pārbaudījumam.",
                "Kafejnīca Tērbatas ielā",
                None,
            ),
        ],
        extension=[
            (
                "Pārcelšanas pārbaudījuma plāns: tēmas un datumi",
                "Sadalījām atkārtojamās tēmas pa dienām līdz pārbaudījumam.",
                "Latvijas Nacionālā bibliotēka, lasītava",
                3,
            ),
            (
                "Atkārtošana: ģeometrija un vienādojumi",
                "Paula pati atrisināja parauga uzdevumus un atzīmēja tos, par kuriem jautās "
                "skolotājam konsultācijā.",
                "Rīgas Centrālā bibliotēka",
                None,
            ),
            (
                "Pārbaudījuma diena: ko ņemt līdzi un kā plānot laiku",
                "Sagatavojām sarakstu pārbaudījuma dienai; Paula jūtas mierīgāk.",
                None,
                None,
            ),
            (
                "Pēc pārbaudījuma: kopsavilkums un plāni nākamajam mācību gadam",
                "Paula pastāstīja, kā veicās; vienojāmies rudenī turpināt tikšanās.",
                "Vērmanes dārzs",
                None,
            ),
        ],
        comments=[
            "Nākamreiz paņemt līdzi uzdevumu krājumu.",
            "Paula ieradās laikā un bija sagatavojusi jautājumus.",
            "Vienojāmies, ka Paula pati atgādinās par konsultāciju laikiem.",
            "Tikšanās laikā abi parakstījām grafiku.",
        ],
        last_months=("returned", "confirmed"),
        return_reason="Grafikā pie {date} tikšanās trūkst jaunietes paraksta. Lūdzu, "
        "augšupielādējiet grafiku ar abiem parakstiem un apstipriniet mēnesi vēlreiz.",
    ),
    # Anna's two active plans: Mondays and Fridays (from December Thursdays too), so never at
    # the same time (CAP-3).
    DiarySpec(
        RIGA_SCHOOL,
        ("Kristers", "Lapiņš"),
        None,
        # IAP-6: from December one more meeting a week, before the semester's tests.
        slots=[Slot(MON, T(15, 30)), Slot(THU, T(15, 30), months=(12,))],
        places=["Rīgas Centrālā bibliotēka", "Kafejnīca pie Matīsa tirgus", "Ziedoņdārzs"],
        opening=[
            (
                "Iepazīšanās; vienošanās par tikšanās laiku pēc treniņiem",
                "Vienojāmies tikties pirmdienās pēc treniņa; Kristers pastāstīja par hokeju un "
                "BMX.",
                "Ziedoņdārzs",
                2,
            ),
        ],
        topics=[
            (
                "Nedēļas plāns: kā paspēt uz pirmo stundu",
                "Kristers ieplānoja vakara rutīnu un modinātāju; nākamreiz pārrunāsim, kā izdevās.",
                "Kafejnīca pie Matīsa tirgus",
                None,
            ),
            (
                "Matemātikas mājasdarbi: kur rodas grūtības",
                "Kopā izrēķinājām divus uzdevumus; Kristers pierakstīja, ko jautāt skolotājai.",
                "Rīgas Centrālā bibliotēka",
                None,
            ),
            (
                "Kavējumu pārskats: kas izdevās šonedēļ",
                "Šonedēļ neviena nokavēta pirmā stunda; Kristers pats atzīmēja progresu savā "
                "tabulā.",
                None,
                None,
            ),
            (
                "Motormuzeja apmeklējums un saruna par tehniskajām profesijām",
                "Kristers interesējās par auto mehāniķa profesiju; vienojāmies uzzināt, kādas "
                "sekmes vajadzīgas, lai iestātos tehnikumā.",
                "Rīgas Motormuzejs",
                3,
            ),
            (
                "Laika plānošana: treniņi, mācības un atpūta",
                "Sastādījām nedēļas grafiku; mājasdarbiem atvēlētas 40 minūtes pēc treniņa.",
                None,
                None,
            ),
            (
                "Pastaiga un saruna par mērķiem līdz semestra beigām",
                "Kristers izvirzīja mērķi uzlabot matemātikas vērtējumu līdz semestra beigām.",
                "Grīziņkalna parks",
                None,
            ),
            (
                "Kas palīdz koncentrēties: mūzika un pauzes",
                "Izmēģinājām mācīšanos 25 minūšu blokos; Kristers teica, ka tā ir vieglāk.",
                None,
                None,
            ),
        ],
        closing=[
            (
                "Gatavošanās matemātikas pārbaudes darbam",
                "Atkārtojām tēmas; Kristers izveidoja formulu kopsavilkumu, ko pārskatīt "
                "pirms darba.",
                "Rīgas Centrālā bibliotēka",
                None,
            ),
            (
                "Pārbaudes darbu nedēļas plāns",
                "Kristers ieplānoja atkārtošanu katram pārbaudes darbam un agrāku gulētiešanu.",
                None,
                None,
            ),
            (
                "Pēc pārbaudes darba: kas izdevās",
                "Kristers pastāstīja, kā veicās matemātikas pārbaudes darbā, un pats nosauca, "
                "ko nākamreiz darīs citādi.",
                None,
                None,
            ),
            (
                "Semestra kopsavilkums: kas izdevās un ko turpināt",
                "Kristers novērtēja savus kavējumus un vērtējumus un izvirzīja mērķi nākamajam "
                "semestrim.",
                "Kafejnīca pie Matīsa tirgus",
                None,
            ),
        ],
        comments=[
            "Kristers atnāca tieši no treniņa, bet bija labā omā.",
            "Nākamreiz paņemt līdzi matemātikas burtnīcu.",
            "Grafiks parakstīts.",
        ],
        approved_at_once=True,
    ),
    DiarySpec(
        RIGA_SCHOOL,
        ("Paula", "Krastiņa"),
        None,
        slots=[Slot(FRI, T(15, 0))],
        places=[
            "Rīgas Centrālā bibliotēka",
            "Kafejnīca Tērbatas ielā",
            "Latvijas Nacionālā bibliotēka, lasītava",
        ],
        opening=[
            (
                "Atkal kopā: vasaras iespaidi un mērķi 11. klasei",
                "Pārrunājām pavasara pieredzi; Paula izvirzīja mērķi matemātikā iegūt vismaz 5.",
                "Kafejnīca Tērbatas ielā",
                2,
            ),
        ],
        topics=[
            (
                "Mācību nedēļas plāns un mājasdarbu laiks",
                "Plāns sastādīts; Paula pati ierakstīja konsultāciju laikus telefona kalendārā.",
                None,
                None,
            ),
            (
                "Studiju un profesiju iespējas pēc 12. klases",
                "Apskatījām trīs koledžu un augstskolu programmas; Paula izvēlējās divas, par "
                "kurām uzzināt vairāk.",
                "Latvijas Nacionālā bibliotēka, lasītava",
                3,
            ),
            (
                "Matemātikas kontroldarba atkārtošana",
                "Paula sadalīja tēmas pa dienām un pierakstīja jautājumus skolotājam.",
                "Rīgas Centrālā bibliotēka",
                None,
            ),
            (
                "Rudens pastaiga un saruna par to, kas izdevies",
                "Paula secināja, ka regulāras konsultācijas palīdz; vienojāmies tās turpināt.",
                "Kronvalda parks",
                None,
            ),
            (
                "Karjeras diena: jautājumi profesiju pārstāvjiem",
                "Sagatavojām jautājumus skolas karjeras dienai; Paula grib uzzināt vairāk par "
                "konditora darbu.",
                None,
                None,
            ),
            (
                "Konditora darbs: ko uzzinājām karjeras dienā",
                "Paula pastāstīja, ko uzzināja no konditores; viņa grib pieteikties ēnu dienai.",
                "Kafejnīca Tērbatas ielā",
                None,
            ),
        ],
        closing=[
            (
                "Gatavošanās semestra pārbaudes darbiem",
                "Sastādījām atkārtošanas grafiku līdz semestra beigām.",
                "Latvijas Nacionālā bibliotēka, lasītava",
                None,
            ),
            (
                "Semestra kopsavilkums un plāns pēc brīvlaika",
                "Paula novērtēja, kā veicies ar mērķi matemātikā, un izvēlējās nākamā "
                "semestra mērķus.",
                "Kafejnīca Tērbatas ielā",
                None,
            ),
        ],
        comments=[
            "Paula atnāca ar jau sastādītu plānu.",
            "Nākamreiz sākt pusstundu vēlāk (kora mēģinājums).",
        ],
        # The employer returned last month: a meeting's time in the signed timesheet is not
        # the diary's. Until Anna corrects it, the month is not payable (PAY-1, PAY-5).
        last_months=("returned",),
        return_reason="Parakstītajā grafikā {date} tikšanās laiks nesakrīt ar dienasgrāmatu. "
        "Lūdzu, izlabojiet laiku vai augšupielādējiet pareizo grafiku un apstipriniet mēnesi "
        "vēlreiz.",
    ),
    # Līga Kalniņa's learner: the school's payroll has a second mentor.
    DiarySpec(
        RIGA_SCHOOL,
        ("Emīls", "Strautiņš"),
        None,
        slots=[Slot(THU, T(15, 0))],
        places=["Rīgas Centrālās bibliotēkas Grīziņkalna filiāle", "Kafejnīca Avotu ielā"],
        opening=[
            (
                "Iepazīšanās; vienošanās par tikšanās laiku, kad brālis ir pulciņā",
                "Vienojāmies tikties ceturtdienās, kamēr brālis ir peldēšanas nodarbībā; Emīls "
                "pastāstīja par zīmēšanu un riteņbraukšanu.",
                "Kafejnīca Avotu ielā",
                2,
            ),
        ],
        topics=[
            (
                "Nedēļas plāns: kad pildīt mājasdarbus",
                "Emīls atrada divas stundas nedēļā mājasdarbiem, kamēr brālis ir pulciņos.",
                None,
                None,
            ),
            (
                "Matemātikas pārbaudes darbs: ko atkārtot",
                "Sastādījām atkārtojamo tēmu sarakstu; Emīls pierakstījās konsultācijai.",
                "Rīgas Centrālās bibliotēkas Grīziņkalna filiāle",
                None,
            ),
            (
                "Kur mācīties pēc 9. klases: dizains un datorgrafika",
                "Apskatījām divu tehnikumu programmas; Emīls grib apmeklēt atvērto durvju dienu.",
                None,
                None,
            ),
            (
                "Pastaiga un saruna par to, kas izdevies",
                "Emīls nodeva visus šīs nedēļas mājasdarbus; vienojāmies turpināt tāpat.",
                "Grīziņkalna parks",
                None,
            ),
        ],
        closing=[
            (
                "Semestra noslēgums un plāns pārbaudes darbiem pavasarī",
                "Emīls novērtēja semestri un izvēlējās, ko pavasarī atkārtot vispirms.",
                "Kafejnīca Avotu ielā",
                None,
            ),
        ],
        comments=["Emīls atnāca ar uzzīmētu nedēļas plānu.", "Grafiks parakstīts."],
    ),
    # Last spring's plans at their end (evaluation.py): a semester of meetings, every month
    # approved, so that the plans can be evaluated and closed.
    DiarySpec(
        RIGA_SCHOOL,
        ("Matīss", "Upenieks"),
        ("2025/2026", 2),
        slots=[Slot(WED, T(15, 0))],
        places=["Rīgas Centrālās bibliotēkas Pārdaugavas filiāle", "Kafejnīca Kalnciema ielā"],
        opening=[
            (
                "Iepazīšanās; vienošanās par tikšanās laiku un kopīgiem noteikumiem",
                "Vienojāmies tikties trešdienās pēc stundām; Matīss pastāstīja par robotikas "
                "pulciņu un šahu.",
                "Kafejnīca Kalnciema ielā",
                2,
            ),
        ],
        topics=[
            (
                "Rīta rutīna: kā paspēt uz pirmo stundu",
                "Matīss ieplānoja vakara rutīnu un divus modinātājus; vienojāmies nedēļu "
                "pierakstīt, kā izdevās.",
                None,
                None,
            ),
            (
                "Nedēļas plāns: mājasdarbi un pulciņi",
                "Sastādījām nedēļas plānu; mājasdarbiem atvēlēta stunda pirms robotikas pulciņa.",
                None,
                None,
            ),
            (
                "Kavējumu pārskats: kas izdevās",
                "Šonedēļ tikai viena nokavēta pirmā stunda; Matīss pats atzīmēja progresu.",
                None,
                None,
            ),
            (
                "Matemātikas kontroldarbs: ko atkārtot",
                "Matīss sadalīja atkārtojamās tēmas pa dienām un pierakstījās konsultācijai.",
                "Rīgas Centrālās bibliotēkas Pārdaugavas filiāle",
                None,
            ),
            (
                "Pastaiga un saruna par to, kas motivē",
                "Matīss secināja, ka viņu motivē redzēt savu progresu; turpinās pierakstīt "
                "paveikto.",
                "Arkādijas parks",
                None,
            ),
        ],
        closing=[
            (
                "Semestra kopsavilkums: kas izdevies",
                "Matīss saskaitīja kavējumus un vērtējumus un secināja, ka mērķi sasniegti; "
                "runājām par to, kā turpināt pašam.",
                "Kafejnīca Kalnciema ielā",
                None,
            ),
        ],
        comments=["Matīss atnāca ar aizpildītu nedēļas plānu.", "Grafiks parakstīts."],
    ),
    DiarySpec(
        RIGA_SCHOOL,
        ("Dāvis", "Ziemelis"),
        ("2025/2026", 2),
        slots=[Slot(THU, T(15, 0))],
        places=["Kafejnīca Avotu ielā", "Rīgas Centrālās bibliotēkas Grīziņkalna filiāle"],
        opening=[
            (
                "Iepazīšanās; vienošanās par tikšanās laiku",
                "Vienojāmies tikties ceturtdienās pēc stundām; Dāvis pastāstīja par basketbolu "
                "un mūziku.",
                "Kafejnīca Avotu ielā",
                2,
            ),
        ],
        topics=[
            (
                "Nedēļas plāns: stundas, treniņi un mājas pienākumi",
                "Dāvis atrada laiku mājasdarbiem pirms treniņiem; plānu ierakstīja telefonā.",
                None,
                None,
            ),
            (
                "Kavējumu pārskats un mērķis nākamajai nedēļai",
                "Šonedēļ apmeklētas visas stundas; Dāvis izvirzīja mērķi to atkārtot.",
                None,
                None,
            ),
            (
                "Vēstures referāts: kā sākt",
                "Sadalījām darbu soļos; Dāvis izvēlējās tēmu un atrada trīs avotus.",
                "Rīgas Centrālās bibliotēkas Grīziņkalna filiāle",
                None,
            ),
            (
                "Pastaiga un saruna par to, kas izdevies",
                "Dāvis pastāstīja, ka iekļauts skolas basketbola komandā; runājām par laika "
                "plānošanu sacensību nedēļās.",
                "Grīziņkalna parks",
                None,
            ),
        ],
        closing=[
            (
                "Semestra noslēgums un vasaras plāni",
                "Dāvis novērtēja semestri: nepietiekamu vērtējumu nav; vasarā viņš strādās.",
                "Kafejnīca Avotu ielā",
                None,
            ),
        ],
        comments=["Dāvis ieradās laikā.", "Grafiks parakstīts."],
    ),
    DiarySpec(
        RIGA_SCHOOL,
        ("Alise", "Grīnberga"),
        ("2025/2026", 2),
        slots=[Slot(MON, T(15, 0))],
        places=["Rīgas Centrālā bibliotēka", "Kafejnīca Tērbatas ielā"],
        opening=[
            (
                "Iepazīšanās; vienošanās par tikšanās laiku un mērķiem",
                "Vienojāmies tikties pirmdienās; Alise pastāstīja par teātra studiju un "
                "izvēlējās divus mērķus semestrim.",
                "Kafejnīca Tērbatas ielā",
                2,
            ),
        ],
        topics=[
            (
                "Ķīmijas mājasdarbi: kur rodas grūtības",
                "Alise pierakstīja jautājumus skolotājai un pieteicās konsultācijai.",
                "Rīgas Centrālā bibliotēka",
                None,
            ),
            (
                "Nedēļas plāns: mācības un teātra mēģinājumi",
                "Sastādījām nedēļas plānu; dabaszinātnēm atvēlētas divas stundas pirms "
                "mēģinājumiem.",
                None,
                None,
            ),
            (
                "Kā veicās konsultācijās",
                "Alise apmeklēja ķīmijas konsultāciju un saprata divas tēmas, kas iepriekš "
                "nebija skaidras.",
                None,
                None,
            ),
            (
                "Fizikas laboratorijas darbs: kā sagatavoties",
                "Kopā izlasījām darba aprakstu; Alise sagatavoja jautājumus skolotājam.",
                "Rīgas Centrālā bibliotēka",
                None,
            ),
        ],
        closing=[
            (
                "Semestra kopsavilkums un vasaras plāni",
                "Alise novērtēja, kā veicies ar mērķiem, un izvēlējās, ko atkārtot vasarā.",
                "Kafejnīca Tērbatas ielā",
                None,
            ),
        ],
        comments=["Alise atnāca ar saviem jautājumiem.", "Grafiks parakstīts."],
    ),
    DiarySpec(
        RIGA_SCHOOL,
        ("Elza", "Jaunzeme"),
        ("2025/2026", 2),
        slots=[Slot(THU, T(15, 30))],
        places=["Rīgas Centrālā bibliotēka", "Ziedoņdārzs", "Kafejnīca pie Matīsa tirgus"],
        opening=[
            (
                "Iepazīšanās; vienošanās par tikšanās laiku",
                "Vienojāmies tikties ceturtdienās; Elza pastāstīja par zīmēšanu un peldēšanu.",
                "Kafejnīca pie Matīsa tirgus",
                2,
            ),
        ],
        topics=[
            (
                "Saruna latviski: mana nedēļa skolā",
                "Elza pastāstīja par nedēļu latviski; kopā pierakstījām jaunos vārdus.",
                None,
                None,
            ),
            (
                "Interešu pulciņa izvēle",
                "Apskatījām skolas pulciņu sarakstu; Elza izvēlējās mākslas studiju.",
                "Rīgas Centrālā bibliotēka",
                None,
            ),
            (
                "Latviešu valodas mājasdarbs: kā sākt",
                "Elza pati uzrakstīja pirmo rindkopu; vienojāmies par vārdnīcas lietošanu.",
                None,
                None,
            ),
            (
                "Pastaiga un saruna par jauno klasi",
                "Elza pastāstīja par divām klasesbiedrenēm, ar kurām kopā zīmē starpbrīžos.",
                "Ziedoņdārzs",
                None,
            ),
        ],
        closing=[
            (
                "Semestra noslēgums: kas izdevies",
                "Elza novērtēja semestri un izvēlējās mērķus nākamajam mācību gadam.",
                "Kafejnīca pie Matīsa tirgus",
                None,
            ),
        ],
        comments=["Elza runāja tikai latviski visu tikšanos.", "Grafiks parakstīts."],
    ),
    # Another school's mentors, so that other approvers have a queue too.
    DiarySpec(
        OGRE,
        ("Ralfs", "Dzenis"),
        None,
        slots=[Slot(TUE, T(15, 30))],
        places=["Ogres Centrālā bibliotēka", "Kafejnīca Brīvības ielā, Ogrē"],
        opening=[
            (
                "Iepazīšanās; vienošanās par tikšanās laikiem",
                "Vienojāmies tikties otrdienās pēc praktiskajām mācībām; Ralfs pastāstīja par "
                "motocikliem un makšķerēšanu.",
                "Ogres Centrālā bibliotēka",
                2,
            ),
        ],
        topics=[
            (
                "Nedēļas plāns: vispārizglītojošie priekšmeti un prakse",
                "Ralfs ieplānoja laiku matemātikas un angļu valodas mājasdarbiem.",
                None,
                None,
            ),
            (
                "Pastaiga un saruna par mācībām tehnikumā",
                "Ralfs pastāstīja, kas patīk praktiskajās mācībās; vienojāmies par mērķi "
                "neizkavēt nodarbības.",
                "Ogres Zilie kalni",
                3,
            ),
            (
                "Sekmju pārskats: kur jāpiestrādā",
                "Kopā apskatījām vērtējumus; Ralfs pierakstījās uz konsultāciju matemātikā.",
                None,
                None,
            ),
            (
                "Brīvais laiks: ko darīt vakaros",
                "Ralfs uzzināja tehnikuma sporta zāles vakara laikus un pieteicās volejbolam.",
                None,
                None,
            ),
        ],
        closing=[
            (
                "Kā sagatavoties ieskaitēm",
                "Sastādījām atkārtošanas plānu; Ralfs pats izvēlējās dienas.",
                "Ogres Centrālā bibliotēka",
                None,
            ),
        ],
        comments=["Ralfs atnāca laikā.", "Nākamreiz pārrunāt prakses vietas izvēli."],
        last_months=("confirmed",),
    ),
    DiarySpec(
        CESIS,
        ("Katrīna", "Priedīte"),
        None,
        slots=[Slot(WED, T(15, 0))],
        places=["Cēsu Centrālā bibliotēka", "Kafejnīca Rīgas ielā, Cēsīs"],
        opening=[
            (
                "Iepazīšanās; vienošanās par tikšanās laiku un vietu",
                "Vienojāmies tikties trešdienās bibliotēkā; Katrīna pastāstīja par jāšanu un "
                "dabas fotografēšanu.",
                "Cēsu Centrālā bibliotēka",
                2,
            ),
        ],
        topics=[
            (
                "Nedēļas plāns: stundas, mājasdarbi un treniņi",
                "Katrīna ierakstīja plānotājā mājasdarbu laikus.",
                None,
                None,
            ),
            (
                "Dabaszinību mājasdarbs: kā sākt",
                "Sadalījām darbu soļos; Katrīna pabeidza pirmo daļu jau tikšanās laikā.",
                "Cēsu Centrālā bibliotēka",
                None,
            ),
            (
                "Rudens pastaiga ar fotoaparātu",
                "Runājām par to, kas motivē nākt uz skolu; Katrīna apņēmās nākamnedēļ "
                "neizlaist nevienu stundu.",
                "Cēsu pils parks",
                None,
            ),
            (
                "Kavējumu pārskats un mērķis nākamajai nedēļai",
                "Šonedēļ apmeklētas visas stundas; Katrīna pati to atzīmēja savā plānotājā.",
                None,
                None,
            ),
            (
                "Grāmatas izvēle un lasīšanas plāns",
                "Katrīna izvēlējās grāmatu literatūras stundai un sastādīja lasīšanas plānu.",
                "Cēsu Centrālā bibliotēka",
                None,
            ),
        ],
        closing=[
            (
                "Semestra noslēgums: kas izdevies",
                "Katrīna saskaitīja apmeklētās stundas un izvirzīja mērķi nākamajam semestrim.",
                "Cēsu Centrālā bibliotēka",
                None,
            ),
        ],
        comments=["Katrīna atnāca ar saviem jautājumiem.", "Grafiks parakstīts."],
    ),
]


# --- Helpers --------------------------------------------------------------------------------


def _easter(year):
    """Easter Sunday (the Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (2 * e + 2 * i - h - k + 32) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _public_holiday(day):
    """Latvia's public holidays: no meeting is planned on them (a plausible diary, not a rule)."""
    fixed = {(1, 1), (5, 1), (5, 4), (6, 23), (6, 24), (11, 18), (12, 24), (12, 25), (12, 26)}
    fixed.add((12, 31))
    if (day.month, day.day) in fixed:
        return True
    easter = _easter(day.year)
    if day in (easter - datetime.timedelta(days=2), easter + datetime.timedelta(days=1)):
        return True
    # 4 May and 18 November falling on a weekend move to the Monday after.
    if day.weekday() == MON:
        for month, number in ((5, 4), (11, 18)):
            holiday = datetime.date(day.year, month, number)
            if holiday.weekday() >= 5 and 0 < (day - holiday).days <= 2:
                return True
    return False


def _last_day(first_day):
    return next_month_start(first_day) - datetime.timedelta(days=1)


def _confirmed_on(first_day):
    """DIA-7: the day the demo's mentors confirm a month: the second of the following month."""
    return next_month_start(first_day) + datetime.timedelta(days=1)


def _end(day, start, hours):
    """DIA-4: the end of a meeting of `hours` academic hours (40 minutes each)."""
    begin = datetime.datetime.combine(day, start)
    return (begin + datetime.timedelta(minutes=40 * hours)).time()


def _approver(plan):
    """APR-1: the employer's responsible person."""
    membership = (
        RoleMembership.objects.filter(role=Role.APPROVER, institution_id=plan.contract.employer_id)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


class DemoDiary:
    def __init__(self, spec, plan):
        self.spec = spec
        self.plan = plan
        self.mentor_user = plan.mentor.user
        self.today = timezone.localdate()
        self.now = timezone.now()

    def meetings(self):
        """DIA-2, DIA-3: the meetings held so far (with results) and the coming weeks' plan."""
        plan = self.plan
        until = min(plan.last_mentoring_day, self.today + PLANNING_AHEAD)
        day, count, used = plan.start_date, 0, dict.fromkeys(TOPIC_LISTS, 0)
        while day <= until:
            for slot in self.spec.slots:
                if not slot.fits(day) or _public_holiday(day):
                    continue
                if not plan_allows_mentoring(plan, day):
                    continue
                kind = self.topic_list(day, count)
                topics = getattr(self.spec, kind)
                if self.meet(day, slot, count, topics[used[kind] % len(topics)]):
                    count += 1
                    used[kind] += 1
            day += datetime.timedelta(days=1)

    def topic_list(self, day, count):
        """Which of the spec's topic lists the meeting on `day` takes its topic from."""
        plan, spec = self.plan, self.spec
        if day > plan.end_date and spec.extension:
            return "extension"
        if spec.closing and day > plan.end_date - CLOSING_WEEKS:
            return "closing"
        return "opening" if count < len(spec.opening) else "topics"

    def meet(self, day, slot, number, topic):
        """One meeting, if it fits the month's hours and the mentor's other meetings."""
        topic, result, place, hours = topic
        place = place or self.spec.places[number % len(self.spec.places)]
        # CAP-2: the plan's monthly hours (never over 20); a long meeting becomes a shorter one.
        budget = min(self.plan.monthly_hours, 20)
        used = diary_services.hours_in_month(self.plan.learner, day)
        for length in dict.fromkeys((hours or slot.hours, 2)):
            if used + length <= budget:
                break
        else:
            return False
        end = _end(day, slot.start, length)
        starts_at, ends_at, _hours, _minutes = diary_services.meeting_span(day, slot.start, end)
        if starts_at <= self.now < ends_at:
            return False  # under way right now: neither planned nor held
        # CAP-3: one learner at a time, across all of the mentor's plans.
        if DiaryEntry.objects.filter(
            mentor=self.plan.mentor, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).exists():
            return False
        held = ends_at <= self.now
        comments = self.spec.comments
        comment = (
            comments[number // 3 % len(comments)] if held and comments and number % 3 == 2 else ""
        )
        diary_services.entry_create(
            actor=self.mentor_user,
            plan=self.plan,
            date=day,
            start_time=slot.start,
            end_time=end,
            place=place,
            topic=topic,
            result=result if held else "",
            comment=comment,
        )
        return True

    def month_ends(self):
        """DIA-7, TS-3: each month that is over is confirmed with its signed timesheet; the
        employer then approves or returns it (APR-1..3)."""
        plan = self.plan
        months = []
        first = month_start(plan.start_date)
        while first <= plan.last_mentoring_day and _last_day(first) < self.today:
            months.append(first)
            first = next_month_start(first)
        for first in months:
            entries = list(plan.diary_entries.filter(date__gte=first, date__lte=_last_day(first)))
            # As it happened: the mentor confirms on the second day of the following month.
            with _on_day(_confirmed_on(first)):
                if entries:
                    diary_services.month_upload_scan(
                        actor=self.mentor_user,
                        plan=plan,
                        month=first,
                        file=self.scan(first, entries),
                    )
                diary_services.month_confirm(actor=self.mentor_user, plan=plan, month=first)
        approver = _approver(plan)
        if approver is None:
            return
        tail = self.spec.last_months
        employer = plan.contract.employer
        for position, first in enumerate(months):
            from_end = len(months) - position
            deadline = employer.hours_approval_deadline(first)  # APR-2
            if from_end <= len(tail):
                decision = tail[len(tail) - from_end]
            elif self.spec.approved_at_once:
                decision = "approved"
            else:
                decision = "approved" if deadline < self.today else "confirmed"
            diary_month = DiaryMonth.objects.get(plan=plan, month=first)
            confirmed_on = _confirmed_on(first)
            if decision == "approved":
                # Before the deadline, and so before the month is closed for payroll.
                day = confirmed_on + datetime.timedelta(days=1)
                if not self.spec.approved_at_once:
                    day = max(day, deadline - datetime.timedelta(days=2))
                with _on_day(day):
                    approval_services.month_approve(actor=approver, diary_month=diary_month)
            elif decision == "returned":
                entries = list(
                    plan.diary_entries.filter(date__gte=first, date__lte=_last_day(first))
                )
                meeting = entries[min(1, len(entries) - 1)].date if entries else first
                reason = self.spec.return_reason.format(date=f"{meeting:%d.%m.}")
                with _on_day(confirmed_on + datetime.timedelta(days=3)):
                    approval_services.month_return(
                        actor=approver, diary_month=diary_month, reason=reason
                    )

    def scan(self, first, entries):
        """TS-1, TS-3: the month's rows of the signed timesheet, as a scanned PDF."""
        learner, mentor = self.plan.learner, self.plan.mentor
        rows = [
            f"{e.date:%d.%m.%Y}  {e.start_time:%H:%M}-{e.end_time:%H:%M}  {e.hours} st.  "
            f"{e.topic[:60]}  [paraksti]"
            for e in entries
        ]
        rows.append(f"Kopa: {sum(e.hours for e in entries)} akademiskas stundas.")
        return pdf_file(
            f"grafiks-{first:%Y-%m}.pdf",
            f"Atbalsta pasakumu istenosanas grafiks, {first:%m.%Y}",
            [f"Izglitojamais: {learner.full_name}; mentors: {mentor.full_name}", "", *rows],
        )

    def run(self):
        self.meetings()
        self.month_ends()


def create_diaries(*, warn):
    for spec in DIARIES:
        first_name, last_name = spec.learner
        learner = Learner.objects.filter(
            institution__name=spec.institution, first_name=first_name, last_name=last_name
        ).first()
        if spec.semester:
            year, number = spec.semester
            semester = Semester.objects.filter(school_year__name=year, number=number).first()
        else:
            semester = current_semester()
        plan = (
            Plan.objects.filter(learner=learner, semester=semester)
            .select_related("learner__institution", "mentor", "contract__employer", "semester")
            .first()
        )
        if plan is None or plan.mentor is None or plan.mentor.user_id is None:
            continue
        if plan.status not in (Plan.Status.APPROVED, Plan.Status.TERMINATED):
            continue  # IAP-5: no mentoring before the plan is approved
        if plan.diary_entries.exists() or plan.diary_months.exists():
            continue  # an earlier run, or kept by hand since
        try:
            with transaction.atomic():
                DemoDiary(spec, plan).run()
        except ValidationError as error:
            warn(f"Demo diary of {plan.learner} ({plan.semester}) skipped: {error}")
