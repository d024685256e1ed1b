"""A person who sells or trades sex is recognised in their own words, and no one else is.

The safety gate's `_sex_work_language` sets the entity `sex_work` (sex-worker groups added to
the trafficking help). The lists are written the way people type on a phone: slang, no
punctuation, misspellings, the selling told inside a longer story of control.
"""

from __future__ import annotations

import pytest
import yaml

from components.safety_gate import SafetyGate


@pytest.fixture(scope="module")
def gate(root) -> SafetyGate:
    config = yaml.safe_load((root / "config.yml").read_text(encoding="utf-8"))
    step = next(c for c in config["pipeline"] if c["name"].endswith("SafetyGate"))
    return SafetyGate({**SafetyGate.get_default_config(), **step})


ENGLISH = [
    # survival sex: a place to stay, food, drugs, a ride
    "i sleep with guys so i have somewhere to stay",
    "been sleeping w dudes for a place to crash since my mom kicked me out",
    "i trade sex for a place to stay and the guy i stay with says i owe him",
    "sometimes i hook up with guys for a room for the night",
    "i have sex with him for rent and now he wants me to do his friends too",
    "i sleep with my landlord so he lets me stay",
    "i do stuff with guys for food when i run out of money",
    "i sleep w my dealer for dope and he wont let me leave",
    "i have sex for drugs and my bf sets it up",
    "i hook up w guys for rides to work bc i got no car",
    "i let guys have sex with me so i have a place to sleep",
    "i been trading myself for a couch to sleep on",
    "i do sexual favours for a place to sleep",
    "im doing survival sex rn idk what else to do",
    "i have sex w guys for money when im short on rent",
    "i sleep with men for money",
    "i get paid for sex and he takes half",
    "i charge for sex but my roommate wants a cut",
    # agencies, spas, massage, studios, strip clubs
    "i work at a spa that does extras and the boss keeps half",
    "i work at a massage place, we do extras, the owner holds my passport",
    "the escort agency i work for takes 60 percent and says i owe them for the flight",
    "i work for an escort agency and they want me to do bbfs",
    "i escort through an agency and they keep my money",
    "i work in a studio downtown doing full service",
    "i do private rooms at the club and the bouncer wants a cut",
    "i dance at a strip club and they push us to do extras in vip",
    "i do vip rooms at the club most nights",
    "i work in a rub and tug in richmond",
    "i give happy endings at the massage place and the manager takes my tips",
    "i work at a massage parlor with extras",
    "my agency sends me to hotels to see clients",
    "i work at a spa and we have to give happy endings",
    # the life, the game, the track, hooking, tricks
    "ive been in the life since i was 19",
    "been in the game 3 yrs and my daddy takes everything",
    "im in the life and want out",
    "i work the track on kingsway",
    "i was on the stroll last night and a guy robbed me",
    "i work the corner by the motel",
    "im out on the track every night",
    "been hooking since i was 20",
    "i hook to pay rent",
    "im hooking again and i hate it",
    "i turn tricks to pay for my habit",
    "i been turning tricks on hastings",
    # dates, guys, calls, ads, customers
    "i do dates mostly outcalls",
    "i do dates for money",
    "im doing dates out of a hotel",
    "i see guys for money",
    "he makes me see guys every night",
    "he makes me do dates and keeps the cash",
    "i do calls at hotels and he drives me",
    "i do incalls and outcalls",
    "i do incall from my apartment",
    "i post my ads and he answers the texts",
    "he writes my ads and takes my phone",
    "one of my customers wont wear a condom",
    "my dates keep asking for bbfs",
    "one of my regs found out where i live",
    "my regs stopped coming after he raised the prices",
    "i offer full service",
    "i do fs and gfe only",
    "he wants me to offer bbfs",
    # a pimp or "daddy" makes the person sell
    "my daddy makes me work the track every night",
    "my pimp takes all my money",
    "my pimp wont let me keep any of it",
    "my boyfriend makes me see guys for money",
    "my man puts me on the track",
    "he posts me on leolist",
    "he makes me work the stroll",
    "he makes me sleep with his friends to pay off the debt",
    "my daddy takes all my money and says im nothing without him",
    # online selling of sexual content
    "i sell content on onlyfans and my ex is threatening me",
    "i do cam shows",
    "i cam for money",
    "i have an onlyfans and my ex is threatening to send it to my family",
    "i make porn content and sell it",
    "i sell my nudes and vids online",
    "im a camgirl and someone doxxed me",
    "my onlyfans manager controls my account and my money",
    "i do custom vids and sexting for money",
    # sw, sex work, the industry, the trade
    "been doing sw for 2 yrs",
    "i do sw part time",
    "im in the industry and my boss keeps my earnings",
    "i work in the sex trade",
    "i got into the industry last year to pay off school",
    "ive been in the sex industry for years",
    "im a full service provider",
    "im a provider in vancouver",
    # provider, companion, courtesan, sugar baby
    "i work as a paid companion",
    "im a courtesan",
    "im a sugar baby and my sd wants more than we agreed",
    "my sugar daddy pays my rent for sex",
    # trans and male workers
    "im a trans escort",
    "male escort, an agency owes me money",
    "im a guy who sees men for money",
    "im a rent boy",
    "im a trans girl and i do sw to survive",
    # migrant workers in massage
    "boss say i must do sex with customers or no pay",
    "i came from china to work at a massage shop and they make me have sex with customers",
    "my english not good i work massage and boss make me do extras",
    "they make us do happy endings at the spa or we dont get paid",
    # inside longer stories
    "so basically i moved here w my bf and now he makes me see guys every nite n takes all the $$",
    "idk where to start i do outcalls and my driver keeps half and says i owe him for gas",
    "im 24 and i work the stroll my daddy hits me if i dont make enough",
    "ok so i post on leolist and a guy keeps texting me threats",
    # in the words of the trade without naming it
    "how do i get out of sex work",
    "i want to report a bad date in nanaimo",
    "a guy paid me for the night and then got weird",
    "now he wants me to see his buddies too",
    "my bf started managing me last year",
    "i work out of a massage place downtown",
    "sugar daddy says i owe him",
    "the driver takes us around the circuit",
    "my bf is making me do calls",
    # a provider naming herself in the trade's short form; a client who robbed or hit her
    "SP in PG, been at this for years",
    "trick tuk back da cash + slapped me",
    "the john took his money back after",
    "how do i warn the other girls about him",
]

FRENCH = [
    "je fais des clients pour payer mon loyer",
    "je fais la rue sur ste-catherine depuis 2 ans",
    "je travaille dans un salon, le boss garde la moitié",
    "je travaille dans un salon à laval pis on doit faire des extras",
    "mon pimp prend tout mon argent",
    "mon proxénète me fait travailler tous les soirs",
    "je me prostitue depuis 2 ans",
    "je couche avec des gars pour avoir une place",
    "je couche avec des gars pour avoir une place où dormir",
    "je couche avec mon proprio pour payer le loyer",
    "je fais de l'escorte pour une agence",
    "je suis escorte indépendante",
    "je fais des dates pour du cash",
    "je fais des outcalls pis mon chum me conduit",
    "je fais du full service",
    "je fais des extras au salon",
    "je danse au bar pis je fais des isoloirs",
    "je bosse pour une agence d'escortes qui garde mon passeport",
    "je vends mon corps pour manger",
    "je fais le trottoir",
    "je fais le tapin depuis un an",
    "je tapine à paris",
    "je fais des passes pour mon mec",
    "je fais la pute pour payer ma dette",
    "je vends du contenu sur onlyfans",
    "je suis travailleuse du sexe",
    "je suis une tds pis mon chum prend mon cash",
    "on fait des extras au salon sinon le boss paye pas",
    "mon chum me fait voir des gars",
    "il me fait faire des clients tous les soirs",
    "je recois des clients chez moi",
    "je danse nue au club",
    "je fais de la webcam",
    "je couche pour de l'argent",
    "je couche avec des gars pour de la dope",
    "j'échange du sexe contre un toit",
    "il m'heberge en echange de sexe",
    "je suis dans l'industrie du sexe",
    "mon pimp me force a faire des clients",
    "je suis un escort gay",
    "jsuis trans pis je travaille sur la rue",
    "j'ai commencé à me prostituer l'an passé",
    "le gars me fait coucher avec ses amis pour payer ma dette",
    "je poste des annonces sur leolist",
    "j'ai un onlyfans pis mon ex menace de le montrer",
    "je fais des massages erotiques",
    "je vois des gars pour de l'argent",
    "je suis accompagnatrice",
]

NEGATIVE = [
    "how can someone leave sex work",
    "john took my car without asking",
    "the trick is to stay calm",
    "what does sp mean in an ad",
    "my friend wants to leave sex work",
    "i paid him for the night at the hotel",
    # questions about sex work or sex workers
    "are sex workers victims",
    "is escorting legal in canada",
    "what is the stroll",
    "what does the life mean",
    "what does turning tricks mean",
    "what is survival sex",
    "what does bbfs mean",
    "what is gfe",
    "is full service sex work legal",
    "is it illegal to post ads on leolist",
    "how do pimps recruit girls",
    "what is the difference between sex work and trafficking",
    # someone else's work
    "my friend is an escort",
    "i'm friends with a sex worker",
    "my sister does sex work",
    "my roommate does sw and im worried about her",
    "my cousin works the track",
    "my daughter might be on onlyfans",
    "i think my friend has a pimp",
    "my ex was a stripper",
    "i dont do sex work but my friend does",
    # clients
    "i'm a client",
    "i booked an escort",
    "i saw an escort last week and now i feel bad",
    "i paid for sex once, is that illegal",
    "im a sugar daddy",
    "i subscribe to her onlyfans",
    "i go to a strip club sometimes",
    # ordinary uses of the words
    "i work at a spa as a receptionist",
    "i do calls for a call centre",
    "my customers at the cafe are rude",
    "i see guys from school",
    "the industry i work in is construction",
    "i'm in the game industry",
    "my date was fun",
    "my dates keep ghosting me",
    "i hook up with guys sometimes",
    "i work at a massage clinic as an rmt",
    "i'm a registered massage therapist",
    "i work as a companion for seniors",
    "i am a provider for my family",
    "im in the game right now with my friends",
    "i'm on the corner of main and hastings",
    "i'm on the track team at school",
    "i sleep with my boyfriend at his place",
    "i stay with a guy im dating",
    "i work for an agency doing home care",
    "i do extras on film sets",
    "i'm in the trades, i'm an electrician",
    "i'm in the life insurance business",
    "my boss makes me do calls all day",
    "my boss makes me see customers back to back",
    "i sleep on my friends couch for now",
    "i do dates on weekends with my girlfriend",
    # trafficking without self-identification
    "my boss takes my passport",
    "he makes me work 16 hours at the restaurant",
    "my boyfriend makes me pay for everything",
    "what are the signs someone is being trafficked",
    "i owe the agency for my flight and they keep my papers",
    # French
    "est-ce que le travail du sexe est légal au canada",
    "mon amie est escorte",
    "ma soeur fait de l'escorte",
    "je travaille dans un salon de coiffure",
    "je fais des appels pour un centre d'appels",
    "mes clients au café sont gentils",
    "c'est quoi faire la rue",
    "je suis client d'une escorte",
    "je connais une travailleuse du sexe",
    "je couche avec mon chum",
    "je fais des dates sur tinder",
    "ma soeur est sur onlyfans",
    "je suis sur la rue depuis que j'ai perdu mon appart",
    "je suis accompagnatrice de voyage",
    "mon patron garde mon passeport",
    "mon père me fait voir ses amis",
]


@pytest.mark.parametrize("text", ENGLISH)
def test_someone_who_sells_sex_in_english_is_recognised(gate, text):
    assert gate._sex_work_language(text) == "en"


@pytest.mark.parametrize("text", FRENCH)
def test_someone_who_sells_sex_in_french_is_recognised_as_french(gate, text):
    assert gate._sex_work_language(text) == "fr"


@pytest.mark.parametrize("text", NEGATIVE)
def test_questions_others_work_clients_and_ordinary_words_are_not_selling_sex(gate, text):
    assert gate._sex_work_language(text) is None


def test_the_lists_are_large_enough_to_mean_something():
    assert len(set(ENGLISH)) == len(ENGLISH) >= 100
    assert len(set(FRENCH)) == len(FRENCH) >= 40
    assert len(set(NEGATIVE)) == len(NEGATIVE) >= 60
