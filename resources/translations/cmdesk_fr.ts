<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AddFeedDialog</name>
    <message>
        <source>Add feed</source>
        <translation>Ajouter un flux</translation>
    </message>
    <message>
        <source>https://example.com/feed.xml or https://example.com</source>
        <translation>https://example.com/feed.xml ou https://example.com</translation>
    </message>
    <message>
        <source>No folder</source>
        <translation>Aucun dossier</translation>
    </message>
    <message>
        <source>Login (only for feeds that need one)</source>
        <translation>Identifiants (seulement pour les flux qui en demandent)</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>Nom d’utilisateur :</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Mot de passe :</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <source>Feed or site address:</source>
        <translation>Adresse du flux ou du site :</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Dossier :</translation>
    </message>
    <message>
        <source>Type the address of a feed or of a site.</source>
        <translation>Saisissez l’adresse d’un flux ou d’un site.</translation>
    </message>
    <message>
        <source>Subscribed to “{title}”: {n} items.</source>
        <translation>Abonné à « {title} » : {n} articles.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Could not add the feed: {why}</source>
        <translation>Impossible d’ajouter le flux : {why}</translation>
    </message>
    <message>
        <source>This site announces several feeds. Subscribe to:</source>
        <translation>Ce site propose plusieurs flux. S’abonner à :</translation>
    </message>
    <message>
        <source>Looking for feeds at this address…</source>
        <translation>Recherche de flux à cette adresse…</translation>
    </message>
    <message>
        <source>You are already subscribed to {url}.</source>
        <translation>Vous êtes déjà abonné à {url}.</translation>
    </message>
    <message>
        <source>Already subscribed</source>
        <translation>Déjà abonné</translation>
    </message>
    <message>
        <source>Subscribe</source>
        <translation>S’abonner</translation>
    </message>
    <message>
        <source>{n} feeds found. Check the ones you want.</source>
        <translation>{n} flux trouvés. Cochez ceux que vous voulez.</translation>
    </message>
    <message>
        <source>Subscribing…</source>
        <translation>Abonnement…</translation>
    </message>
</context>
<context>
    <name>BrandWizard</name>
    <message>
        <source>Set up my brand</source>
        <translation>Configurer ma marque</translation>
    </message>
    <message>
        <source>%1 watch terms and %2 feeds were added. Some could not be:</source>
        <translation>%1 termes de veille et %2 flux ont été ajoutés. Certains n’ont pas pu l’être :</translation>
    </message>
</context>
<context>
    <name>FeedHealthDialog</name>
    <message>
        <source>Feed health</source>
        <translation>État des flux</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>Time (ms)</source>
        <translation>Durée (ms)</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Octets</translation>
    </message>
    <message>
        <source>New items</source>
        <translation>Nouveaux articles</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <source>Refresh this feed now</source>
        <translation>Actualiser ce flux maintenant</translation>
    </message>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>En cours</translation>
    </message>
    <message>
        <source>Not fetched yet</source>
        <translation>Pas encore téléchargé</translation>
    </message>
    <message>
        <source>Failing</source>
        <translation>En échec</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>Status: {s}</source>
        <translation>État : {s}</translation>
    </message>
    <message>
        <source>Last fetch: {a} · last success: {b} · next: {c}</source>
        <translation>Dernier téléchargement : {a} · dernier succès : {b} · prochain : {c}</translation>
    </message>
    <message>
        <source>Last error ({what}, {n} in a row): {msg}</source>
        <translation>Dernière erreur ({what}, {n} de suite) : {msg}</translation>
    </message>
    <message>
        <source>Disabled: {why}</source>
        <translation>Désactivé : {why}</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Not modified</source>
        <translation>Inchangé</translation>
    </message>
    <message>
        <source>Gone</source>
        <translation>Disparu</translation>
    </message>
    <message>
        <source>Deferred</source>
        <translation>Reporté</translation>
    </message>
</context>
<context>
    <name>FeedPropertiesDialog</name>
    <message>
        <source>Feed properties</source>
        <translation>Propriétés du flux</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Par défaut</translation>
    </message>
    <message>
        <source> days</source>
        <translation> jours</translation>
    </message>
    <message>
        <source>Load remote images of this feed&apos;s items</source>
        <translation>Charger les images distantes des articles de ce flux</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>inchangé</translation>
    </message>
    <message>
        <source>Remove the login</source>
        <translation>Supprimer les identifiants</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>Titre :</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Adresse :</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Dossier :</translation>
    </message>
    <message>
        <source>Refresh every:</source>
        <translation>Actualiser toutes les :</translation>
    </message>
    <message>
        <source>Keep at most (items):</source>
        <translation>Conserver au plus (articles) :</translation>
    </message>
    <message>
        <source>Drop items older than:</source>
        <translation>Supprimer les articles plus anciens que :</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>Nom d’utilisateur :</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Mot de passe :</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Welcome to cmdesk</source>
        <translation>Bienvenue dans cmdesk</translation>
    </message>
    <message>
        <source>Your profile is empty. How would you like to start?</source>
        <translation>Votre profil est vide. Comment voulez-vous commencer ?</translation>
    </message>
    <message>
        <source>Open the demo workspace</source>
        <translation>Ouvrir l’espace de démonstration</translation>
    </message>
    <message>
        <source>A fictional brand with a month of feeds, mentions, replies and statistics, read offline. Ideal to look around.</source>
        <translation>Une marque fictive avec un mois de flux, de mentions, de réponses et de statistiques, lus hors ligne. Idéal pour découvrir l’application.</translation>
    </message>
    <message>
        <source>Set up my brand…</source>
        <translation>Configurer ma marque…</translation>
    </message>
    <message>
        <source>Name your brand and competitors; cmdesk creates the watch terms and subscribes to starter monitoring feeds.</source>
        <translation>Indiquez votre marque et vos concurrents ; cmdesk crée les termes de veille et vous abonne à des flux de surveillance pour démarrer.</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Passer</translation>
    </message>
    <message>
        <source>Preparing the demo workspace…</source>
        <translation>Préparation de l’espace de démonstration…</translation>
    </message>
    <message>
        <source>Preparing the demo workspace: reading its feeds and finding mentions. This takes a few seconds…</source>
        <translation>Préparation de l’espace de démonstration : lecture des flux et recherche des mentions. Cela prend quelques secondes…</translation>
    </message>
    <message>
        <source>The demo workspace could not be opened: %1</source>
        <translation>Impossible d’ouvrir l’espace de démonstration : %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>cmdesk</source>
        <translation>cmdesk</translation>
    </message>
    <message>
        <source>Veille</source>
        <translation>Veille</translation>
    </message>
    <message>
        <source>Mentions</source>
        <translation>Mentions</translation>
    </message>
    <message>
        <source>Stats</source>
        <translation>Statistiques</translation>
    </message>
    <message>
        <source>Feed reader (Ctrl+1)</source>
        <translation>Lecteur de flux (Ctrl+1)</translation>
    </message>
    <message>
        <source>Mention inbox (Ctrl+2)</source>
        <translation>Boîte de réception des mentions (Ctrl+2)</translation>
    </message>
    <message>
        <source>Statistics (Ctrl+3)</source>
        <translation>Statistiques (Ctrl+3)</translation>
    </message>
    <message>
        <source>The {area} area is not available in this build.</source>
        <translation>L’espace {area} n’est pas disponible dans cette version.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Édition</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>Affic&amp;hage</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Outils</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;Add feed…</source>
        <translation>&amp;Ajouter un flux…</translation>
    </message>
    <message>
        <source>&amp;Import OPML…</source>
        <translation>&amp;Importer un fichier OPML…</translation>
    </message>
    <message>
        <source>E&amp;xport OPML…</source>
        <translation>E&amp;xporter en OPML…</translation>
    </message>
    <message>
        <source>Export &amp;monthly summary…</source>
        <translation>Exporter le &amp;bilan mensuel…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Refresh all feeds</source>
        <translation>&amp;Actualiser tous les flux</translation>
    </message>
    <message>
        <source>Cancel refresh</source>
        <translation>Annuler l’actualisation</translation>
    </message>
    <message>
        <source>&amp;Watch terms…</source>
        <translation>&amp;Termes de veille…</translation>
    </message>
    <message>
        <source>Reply &amp;templates…</source>
        <translation>&amp;Modèles de réponse…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <source>&amp;About cmdesk</source>
        <translation>À &amp;propos de cmdesk</translation>
    </message>
    <message>
        <source>Stop the refresh after the feeds being fetched now</source>
        <translation>Arrêter l’actualisation après les flux en cours de téléchargement</translation>
    </message>
    <message>
        <source>Already refreshing: merged.</source>
        <translation>Actualisation déjà en cours : demande regroupée.</translation>
    </message>
    <message>
        <source>Refreshing…</source>
        <translation>Actualisation…</translation>
    </message>
    <message>
        <source>Refreshing {done}/{total}: {feed}</source>
        <translation>Actualisation {done}/{total} : {feed}</translation>
    </message>
    <message>
        <source>Refresh failed: {why}</source>
        <translation>Échec de l’actualisation : {why}</translation>
    </message>
    <message>
        <source>Not refreshed yet</source>
        <translation>Pas encore actualisé</translation>
    </message>
    <message>
        <source>{n} new item(s)</source>
        <translation>{n} nouvel(s) article(s)</translation>
    </message>
    <message>
        <source>{n} new mention(s)</source>
        <translation>{n} nouvelle(s) mention(s)</translation>
    </message>
    <message>
        <source>{n} error(s)</source>
        <translation>{n} erreur(s)</translation>
    </message>
    <message>
        <source>Last refresh {when}: {what}</source>
        <translation>Dernière actualisation {when} : {what}</translation>
    </message>
    <message>
        <source> (cancelled after {done} of {total} feeds)</source>
        <translation> (annulé après {done} flux sur {total})</translation>
    </message>
    <message>
        <source>{total} feeds: {ok} updated, {nm} unchanged, {err} failed, {deferred} deferred, {gone} gone, in {s:.1f} s</source>
        <translation>{total} flux : {ok} mis à jour, {nm} inchangés, {err} en échec, {deferred} reportés, {gone} disparus, en {s:.1f} s</translation>
    </message>
    <message>
        <source>Watch terms</source>
        <translation>Termes de veille</translation>
    </message>
    <message>
        <source>The watch-term editor is not available.</source>
        <translation>L’éditeur de termes de veille n’est pas disponible.</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>Modèles</translation>
    </message>
    <message>
        <source>The template editor is not available.</source>
        <translation>L’éditeur de modèles n’est pas disponible.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>The settings dialog is not available.</source>
        <translation>La fenêtre des paramètres n’est pas disponible.</translation>
    </message>
    <message>
        <source>Export monthly summary</source>
        <translation>Exporter le bilan mensuel</translation>
    </message>
    <message>
        <source>The monthly summary export is not available in this build.</source>
        <translation>L’export du bilan mensuel n’est pas disponible dans cette version.</translation>
    </message>
    <message>
        <source>Veille / Mentions / Stats</source>
        <translation>Veille / Mentions / Statistiques</translation>
    </message>
    <message>
        <source>refresh every feed</source>
        <translation>actualiser tous les flux</translation>
    </message>
    <message>
        <source>add a feed</source>
        <translation>ajouter un flux</translation>
    </message>
    <message>
        <source>export the monthly summary</source>
        <translation>exporter le bilan mensuel</translation>
    </message>
    <message>
        <source>scroll the item, then go to the next unread item</source>
        <translation>faire défiler l’article, puis passer au non-lu suivant</translation>
    </message>
    <message>
        <source>next unread item (then the next feed with unread items)</source>
        <translation>article non lu suivant (puis le flux suivant qui a des non-lus)</translation>
    </message>
    <message>
        <source>toggle read / unread</source>
        <translation>basculer lu / non lu</translation>
    </message>
    <message>
        <source>star / unstar</source>
        <translation>ajouter aux / retirer des favoris</translation>
    </message>
    <message>
        <source>open the item in the browser</source>
        <translation>ouvrir l’article dans le navigateur</translation>
    </message>
    <message>
        <source>load the item&apos;s images</source>
        <translation>charger les images de l’article</translation>
    </message>
    <message>
        <source>mark every item of the feed or folder read</source>
        <translation>marquer comme lus tous les articles du flux ou du dossier</translation>
    </message>
    <message>
        <source>search items</source>
        <translation>rechercher des articles</translation>
    </message>
    <message>
        <source>Everywhere</source>
        <translation>Partout</translation>
    </message>
    <message>
        <source>Veille (feed reader)</source>
        <translation>Veille (lecteur de flux)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>About cmdesk</source>
        <translation>À propos de cmdesk</translation>
    </message>
    <message>
        <source>&lt;h3&gt;cmdesk {version}&lt;/h3&gt;&lt;p&gt;The desk of a solo community manager: feed reader, mention inbox, statistics and monthly summary. Local-first: everything stays in your profile.&lt;/p&gt;&lt;p&gt;Profile: {profile}&lt;/p&gt;</source>
        <translation>&lt;h3&gt;cmdesk {version}&lt;/h3&gt;&lt;p&gt;Le bureau du community manager indépendant : lecteur de flux, boîte de réception des mentions, statistiques et bilan mensuel. Local d’abord : tout reste dans votre profil.&lt;/p&gt;&lt;p&gt;Profil : {profile}&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>MentionDelegate</name>
    <message>
        <source>New</source>
        <translation>Nouveau</translation>
    </message>
    <message>
        <source>To reply</source>
        <translation>À répondre</translation>
    </message>
    <message>
        <source>Replied</source>
        <translation>Répondu</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Traité</translation>
    </message>
    <message>
        <source>Ignored</source>
        <translation>Ignoré</translation>
    </message>
    <message>
        <source>Spam</source>
        <translation>Spam</translation>
    </message>
    <message>
        <source>Positive</source>
        <translation>Positif</translation>
    </message>
    <message>
        <source>Neutral</source>
        <translation>Neutre</translation>
    </message>
    <message>
        <source>Negative</source>
        <translation>Négatif</translation>
    </message>
    <message>
        <source>now</source>
        <translation>maintenant</translation>
    </message>
    <message>
        <source>%n min</source>
        <translation>%n min</translation>
    </message>
    <message>
        <source>%n h</source>
        <translation>%n h</translation>
    </message>
    <message>
        <source>%n d</source>
        <translation>%n j</translation>
    </message>
    <message>
        <source>%n w</source>
        <translation>%n sem.</translation>
    </message>
    <message>
        <source>%n mo</source>
        <translation>%n mois</translation>
    </message>
    <message>
        <source>%n y</source>
        <translation>%n an(s)</translation>
    </message>
</context>
<context>
    <name>MentionDetail</name>
    <message>
        <source>Correct the sentiment by hand; your choice always wins</source>
        <translation>Corriger le sentiment à la main ; votre choix l’emporte toujours</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatique</translation>
    </message>
    <message>
        <source>Click a tag to remove it</source>
        <translation>Cliquez sur une étiquette pour la retirer</translation>
    </message>
    <message>
        <source>Add a tag and press Enter (t)</source>
        <translation>Ajoutez une étiquette puis appuyez sur Entrée (t)</translation>
    </message>
    <message>
        <source>Private note, saved as you type</source>
        <translation>Note privée, enregistrée pendant la saisie</translation>
    </message>
    <message>
        <source>Correct:</source>
        <translation>Corriger :</translation>
    </message>
    <message>
        <source>Sentiment</source>
        <translation>Sentiment</translation>
    </message>
    <message>
        <source>Reach</source>
        <translation>Portée</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>Doublons</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Étiquettes</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>No mention selected</source>
        <translation>Aucune mention sélectionnée</translation>
    </message>
    <message>
        <source>by %1</source>
        <translation>par %1</translation>
    </message>
    <message>
        <source>Open page</source>
        <translation>Ouvrir la page</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation>(sans titre)</translation>
    </message>
    <message>
        <source>— corrected by hand (analyser said %1)</source>
        <translation>— corrigé à la main (l’analyseur indiquait %1)</translation>
    </message>
    <message>
        <source>No sentiment words found.</source>
        <translation>Aucun mot porteur de sentiment trouvé.</translation>
    </message>
    <message>
        <source>word</source>
        <translation>mot</translation>
    </message>
    <message>
        <source>negation</source>
        <translation>négation</translation>
    </message>
    <message>
        <source>intensifier</source>
        <translation>intensificateur</translation>
    </message>
    <message>
        <source>dampener</source>
        <translation>atténuateur</translation>
    </message>
    <message>
        <source>emoji</source>
        <translation>émoji</translation>
    </message>
    <message>
        <source>exclamation</source>
        <translation>exclamation</translation>
    </message>
    <message>
        <source>contrast</source>
        <translation>contraste</translation>
    </message>
    <message>
        <source>question</source>
        <translation>question</translation>
    </message>
    <message>
        <source>Why: %1</source>
        <translation>Pourquoi : %1</translation>
    </message>
    <message>
        <source>no tags</source>
        <translation>aucune étiquette</translation>
    </message>
    <message>
        <source>Weight of %1 in reach figures; every mention from it gets it</source>
        <translation>Poids de %1 dans la portée ; toutes ses mentions le prennent</translation>
    </message>
    <message>
        <source>for every mention from %1</source>
        <translation>pour toutes les mentions de %1</translation>
    </message>
</context>
<context>
    <name>MentionsArea</name>
    <message>
        <source>next / previous mention</source>
        <translation>mention suivante / précédente</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <source>open the mention&apos;s page in the browser</source>
        <translation>ouvrir la page de la mention dans le navigateur</translation>
    </message>
    <message>
        <source>reply: focus the draft</source>
        <translation>répondre : aller au brouillon</translation>
    </message>
    <message>
        <source>done</source>
        <translation>traité</translation>
    </message>
    <message>
        <source>ignore</source>
        <translation>ignorer</translation>
    </message>
    <message>
        <source>spam</source>
        <translation>spam</translation>
    </message>
    <message>
        <source>star / unstar</source>
        <translation>ajouter aux / retirer des favoris</translation>
    </message>
    <message>
        <source>tag</source>
        <translation>étiqueter</translation>
    </message>
    <message>
        <source>undo the last state change</source>
        <translation>annuler le dernier changement d’état</translation>
    </message>
    <message>
        <source>search</source>
        <translation>rechercher</translation>
    </message>
    <message>
        <source>back to the list from an editor</source>
        <translation>revenir à la liste depuis un éditeur</translation>
    </message>
    <message>
        <source>select all loaded mentions; then e, i, ! or s acts on all of them</source>
        <translation>sélectionner toutes les mentions chargées ; e, i, ! ou s s’applique alors à toutes</translation>
    </message>
    <message>
        <source>Mentions inbox keys</source>
        <translation>Touches de la boîte de réception des mentions</translation>
    </message>
    <message>
        <source>Keys work while the mention list has the focus, never while you type in a text box.</source>
        <translation>Les touches agissent quand la liste des mentions a le focus, jamais pendant que vous tapez dans une zone de texte.</translation>
    </message>
    <message>
        <source>Any state</source>
        <translation>Tous les états</translation>
    </message>
    <message>
        <source>Any sentiment</source>
        <translation>Tous les sentiments</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Toute période</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Aujourd’hui</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Ce mois-ci</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>Personnalisée…</translation>
    </message>
    <message>
        <source>Starred</source>
        <translation>Favoris</translation>
    </message>
    <message>
        <source>Search mentions (/)</source>
        <translation>Rechercher des mentions (/)</translation>
    </message>
    <message>
        <source>Full-text search in the mentions (/); Esc goes back to the list</source>
        <translation>Recherche plein texte dans les mentions (/) ; Échap revient à la liste</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <source>Show every mention</source>
        <translation>Afficher toutes les mentions</translation>
    </message>
    <message>
        <source>Next mention</source>
        <translation>Mention suivante</translation>
    </message>
    <message>
        <source>Previous mention</source>
        <translation>Mention précédente</translation>
    </message>
    <message>
        <source>Open mention page</source>
        <translation>Ouvrir la page de la mention</translation>
    </message>
    <message>
        <source>Reply (focus the draft)</source>
        <translation>Répondre (aller au brouillon)</translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation>Marquer comme traité</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Ignorer</translation>
    </message>
    <message>
        <source>Mark as spam</source>
        <translation>Marquer comme spam</translation>
    </message>
    <message>
        <source>Mark to reply</source>
        <translation>Marquer « à répondre »</translation>
    </message>
    <message>
        <source>Mark replied</source>
        <translation>Marquer comme répondu</translation>
    </message>
    <message>
        <source>Star / unstar</source>
        <translation>Ajouter aux / retirer des favoris</translation>
    </message>
    <message>
        <source>Tag…</source>
        <translation>Étiqueter…</translation>
    </message>
    <message>
        <source>Undo last triage</source>
        <translation>Annuler le dernier tri</translation>
    </message>
    <message>
        <source>Search mentions</source>
        <translation>Rechercher des mentions</translation>
    </message>
    <message>
        <source>j/k next/previous · Enter open · r reply · e done · i ignore · ! spam · s star · t tag · u undo · / search · Ctrl+A then a key for all</source>
        <translation>j/k suivante/précédente · Entrée ouvrir · r répondre · e traité · i ignorer · ! spam · s favori · t étiqueter · u annuler · / rechercher · Ctrl+A puis une touche pour toutes</translation>
    </message>
    <message>
        <source>Any term</source>
        <translation>Tous les termes</translation>
    </message>
    <message>
        <source>Any language</source>
        <translation>Toutes les langues</translation>
    </message>
    <message>
        <source>Any source</source>
        <translation>Toutes les sources</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nouveau</translation>
    </message>
    <message>
        <source>To reply</source>
        <translation>À répondre</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Toutes</translation>
    </message>
    <message>
        <source>Watch terms</source>
        <translation>Termes de veille</translation>
    </message>
    <message>
        <source>(paused)</source>
        <translation>(en pause)</translation>
    </message>
    <message>
        <source>Search error: %1</source>
        <translation>Erreur de recherche : %1</translation>
    </message>
    <message>
        <source>No mentions here. Change the view or the filters.</source>
        <translation>Aucune mention ici. Changez de vue ou de filtres.</translation>
    </message>
    <message>
        <source>%1%2 mentions</source>
        <translation>%1%2 mentions</translation>
    </message>
    <message>
        <source>%1 selected</source>
        <translation>%1 sélectionnée(s)</translation>
    </message>
    <message>
        <source>Reach weight of %1 saved</source>
        <translation>Poids de portée de %1 enregistré</translation>
    </message>
    <message>
        <source>%1 mention(s) marked %2 — u to undo</source>
        <translation>%1 mention(s) marquée(s) « %2 » — u pour annuler</translation>
    </message>
    <message>
        <source>Unstarred</source>
        <translation>Retirée des favoris</translation>
    </message>
    <message>
        <source>Nothing to undo</source>
        <translation>Rien à annuler</translation>
    </message>
    <message>
        <source>Undone (%1 mention(s))</source>
        <translation>Annulé (%1 mention(s))</translation>
    </message>
    <message>
        <source>This mention has no web page to open</source>
        <translation>Cette mention n’a pas de page web à ouvrir</translation>
    </message>
</context>
<context>
    <name>OpmlImportSummaryDialog</name>
    <message>
        <source>OPML import</source>
        <translation>Import OPML</translation>
    </message>
    <message>
        <source>{added} feed(s) added, {existing} already subscribed, {skipped} skipped, {folders} new folder(s).</source>
        <translation>{added} flux ajouté(s), {existing} déjà suivi(s), {skipped} ignoré(s), {folders} nouveau(x) dossier(s).</translation>
    </message>
    <message>
        <source>Skipped:</source>
        <translation>Ignorés :</translation>
    </message>
    <message>
        <source> (line {n})</source>
        <translation> (ligne {n})</translation>
    </message>
    <message>
        <source>Already subscribed:</source>
        <translation>Déjà abonné :</translation>
    </message>
    <message>
        <source>The new feeds are being fetched now.</source>
        <translation>Les nouveaux flux sont en cours de téléchargement.</translation>
    </message>
</context>
<context>
    <name>QuickReplyPanel</name>
    <message>
        <source>Start the draft from a template</source>
        <translation>Commencer le brouillon à partir d’un modèle</translation>
    </message>
    <message>
        <source>Write a reply (r). Variables: {author} {brand} {title} {link} {source} {term}. Esc: back to the list</source>
        <translation>Rédigez une réponse (r). Variables : {author} {brand} {title} {link} {source} {term}. Échap : retour à la liste</translation>
    </message>
    <message>
        <source>Preview with the variables filled in</source>
        <translation>Aperçu avec les variables remplacées</translation>
    </message>
    <message>
        <source>Copy reply and open</source>
        <translation>Copier la réponse et ouvrir</translation>
    </message>
    <message>
        <source>Copy the reply to the clipboard and open the mention&apos;s page</source>
        <translation>Copier la réponse dans le presse-papiers et ouvrir la page de la mention</translation>
    </message>
    <message>
        <source>Mark replied</source>
        <translation>Marquer comme répondu</translation>
    </message>
    <message>
        <source>Record the reply (response time) and move on</source>
        <translation>Enregistrer la réponse (temps de réponse) et passer à la suite</translation>
    </message>
    <message>
        <source>Quick reply</source>
        <translation>Réponse rapide</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Aperçu</translation>
    </message>
    <message>
        <source>Template…</source>
        <translation>Modèle…</translation>
    </message>
    <message>
        <source>Draft saved</source>
        <translation>Brouillon enregistré</translation>
    </message>
    <message>
        <source>Editing…</source>
        <translation>Modification…</translation>
    </message>
    <message>
        <source>Draft not saved: %1</source>
        <translation>Brouillon non enregistré : %1</translation>
    </message>
    <message>
        <source>Reply copied; page opened</source>
        <translation>Réponse copiée ; page ouverte</translation>
    </message>
    <message>
        <source>Reply copied; the link is not a web page, not opened</source>
        <translation>Réponse copiée ; le lien n’est pas une page web, il n’a pas été ouvert</translation>
    </message>
    <message>
        <source>Reply copied; the browser could not be opened</source>
        <translation>Réponse copiée ; le navigateur n’a pas pu être ouvert</translation>
    </message>
    <message>
        <source>Reply copied</source>
        <translation>Réponse copiée</translation>
    </message>
</context>
<context>
    <name>ReaderView</name>
    <message>
        <source>Open in browser</source>
        <translation>Ouvrir dans le navigateur</translation>
    </message>
    <message>
        <source>Open the item&apos;s page in the system browser (O or Enter)</source>
        <translation>Ouvrir la page de l’article dans le navigateur (O ou Entrée)</translation>
    </message>
    <message>
        <source>Toggle read / unread (M)</source>
        <translation>Basculer lu / non lu (M)</translation>
    </message>
    <message>
        <source>Star or unstar (S)</source>
        <translation>Ajouter aux ou retirer des favoris (S)</translation>
    </message>
    <message>
        <source>Load images</source>
        <translation>Charger les images</translation>
    </message>
    <message>
        <source>Remote images are not loaded unless you ask: loading them tells the sender you read this item</source>
        <translation>Les images distantes ne sont chargées qu’à votre demande : les charger indique à l’expéditeur que vous avez lu cet article</translation>
    </message>
    <message>
        <source>Unstar</source>
        <translation>Retirer des favoris</translation>
    </message>
    <message>
        <source>Star</source>
        <translation>Favori</translation>
    </message>
    <message>
        <source>Mark unread</source>
        <translation>Marquer comme non lu</translation>
    </message>
    <message>
        <source>Mark read</source>
        <translation>Marquer comme lu</translation>
    </message>
    <message>
        <source>Select an item to read it.</source>
        <translation>Sélectionnez un article pour le lire.</translation>
    </message>
    <message>
        <source>(no title)</source>
        <translation>(sans titre)</translation>
    </message>
    <message>
        <source>by {author}</source>
        <translation>par {author}</translation>
    </message>
    <message>
        <source>This item has no content; open it in the browser to read it.</source>
        <translation>Cet article n’a pas de contenu ; ouvrez-le dans le navigateur pour le lire.</translation>
    </message>
</context>
<context>
    <name>ReplyTemplatesDialog</name>
    <message>
        <source>Reply templates</source>
        <translation>Modèles de réponse</translation>
    </message>
    <message>
        <source>New template</source>
        <translation>Nouveau modèle</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Any language</source>
        <translation>Toutes les langues</translation>
    </message>
    <message>
        <source>French</source>
        <translation>Français</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Anglais</translation>
    </message>
    <message>
        <source>Hi {author}, thanks for your post about {brand}!</source>
        <translation>Bonjour {author}, merci pour votre message sur {brand} !</translation>
    </message>
    <message>
        <source>Variables: %1</source>
        <translation>Variables : %1</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>Texte</translation>
    </message>
    <message>
        <source>Preview for</source>
        <translation>Aperçu pour</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Aperçu</translation>
    </message>
    <message>
        <source>(no mention)</source>
        <translation>(aucune mention)</translation>
    </message>
    <message>
        <source>at %1</source>
        <translation>à %1</translation>
    </message>
    <message>
        <source>unknown variable {%1} %2</source>
        <translation>variable inconnue {%1} %2</translation>
    </message>
    <message>
        <source>{%1} is not a variable name %2</source>
        <translation>{%1} n’est pas un nom de variable %2</translation>
    </message>
    <message>
        <source>&apos;{&apos; never closed %1 (write {{ for a brace)</source>
        <translation>« { » jamais fermée %1 (écrivez {{ pour une accolade)</translation>
    </message>
    <message>
        <source>&apos;}&apos; closes nothing %1 (write }} for a brace)</source>
        <translation>« } » ne ferme rien %1 (écrivez }} pour une accolade)</translation>
    </message>
    <message>
        <source>A template needs a name.</source>
        <translation>Un modèle doit avoir un nom.</translation>
    </message>
    <message>
        <source>Not saved: fix the problems above.</source>
        <translation>Non enregistré : corrigez les problèmes ci-dessus.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Non enregistré : %1</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Enregistré.</translation>
    </message>
    <message>
        <source>Delete template</source>
        <translation>Supprimer le modèle</translation>
    </message>
    <message>
        <source>Delete the template %1?</source>
        <translation>Supprimer le modèle %1 ?</translation>
    </message>
</context>
<context>
    <name>ReportExportDialog</name>
    <message>
        <source>Export monthly summary</source>
        <translation>Exporter le bilan mensuel</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Anglais</translation>
    </message>
    <message>
        <source>French</source>
        <translation>Français</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Month:</source>
        <translation>Mois :</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Langue :</translation>
    </message>
    <message>
        <source>Formats:</source>
        <translation>Formats :</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Dossier :</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
    <message>
        <source>Preview:</source>
        <translation>Aperçu :</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>Exporter vers</translation>
    </message>
    <message>
        <source>Computing the summary…</source>
        <translation>Calcul du bilan…</translation>
    </message>
    <message>
        <source>No preview: {why}</source>
        <translation>Pas d’aperçu : {why}</translation>
    </message>
    <message>
        <source>Choose at least one format.</source>
        <translation>Choisissez au moins un format.</translation>
    </message>
    <message>
        <source>Choose a folder.</source>
        <translation>Choisissez un dossier.</translation>
    </message>
    <message>
        <source>Exporting {month}…</source>
        <translation>Export de {month}…</translation>
    </message>
    <message>
        <source>{n} files written in {s:.1f} s:</source>
        <translation>{n} fichiers écrits en {s:.1f} s :</translation>
    </message>
    <message>
        <source>Wait for the export to finish.</source>
        <translation>Attendez la fin de l’export.</translation>
    </message>
    <message>
        <source>The export failed: {why}</source>
        <translation>L’export a échoué : {why}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Général</translation>
    </message>
    <message>
        <source>Refresh and network</source>
        <translation>Actualisation et réseau</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <source>Monthly summary and ROI</source>
        <translation>Bilan mensuel et ROI</translation>
    </message>
    <message>
        <source>Language and theme apply as soon as you press OK.</source>
        <translation>La langue et le thème s’appliquent dès que vous cliquez sur OK.</translation>
    </message>
    <message>
        <source>These settings apply from the next refresh. An empty field means: not set.</source>
        <translation>Ces réglages s’appliquent dès la prochaine actualisation. Un champ vide signifie : non défini.</translation>
    </message>
    <message>
        <source>Notifications appear in the system tray after a refresh.</source>
        <translation>Les notifications apparaissent dans la zone de notification après une actualisation.</translation>
    </message>
    <message>
        <source>Used by the monthly summary. Leave a field empty when you do not know it: it is reported as missing, never counted as zero.</source>
        <translation>Utilisées par le bilan mensuel. Laissez un champ vide si vous ne connaissez pas la valeur : elle est signalée comme manquante, jamais comptée comme zéro.</translation>
    </message>
    <message>
        <source>Interface language:</source>
        <translation>Langue de l’interface :</translation>
    </message>
    <message>
        <source>Theme:</source>
        <translation>Thème :</translation>
    </message>
    <message>
        <source>Brand name:</source>
        <translation>Nom de la marque :</translation>
    </message>
    <message>
        <source>Refresh automatically</source>
        <translation>Actualiser automatiquement</translation>
    </message>
    <message>
        <source>Refresh every:</source>
        <translation>Actualiser toutes les :</translation>
    </message>
    <message>
        <source>Feeds fetched at once:</source>
        <translation>Flux téléchargés simultanément :</translation>
    </message>
    <message>
        <source>Keep per feed at most:</source>
        <translation>Conserver par flux au plus :</translation>
    </message>
    <message>
        <source>Delete items older than (days):</source>
        <translation>Supprimer les articles de plus de (jours) :</translation>
    </message>
    <message>
        <source>Proxy:</source>
        <translation>Proxy :</translation>
    </message>
    <message>
        <source>New mentions of the terms ticked below</source>
        <translation>Nouvelles mentions des termes cochés ci-dessous</translation>
    </message>
    <message>
        <source>Spikes in a term&apos;s daily volume</source>
        <translation>Pics dans le volume quotidien d’un terme</translation>
    </message>
    <message>
        <source>Currency:</source>
        <translation>Devise :</translation>
    </message>
    <message>
        <source>Hourly cost:</source>
        <translation>Coût horaire :</translation>
    </message>
    <message>
        <source>Hours spent per month:</source>
        <translation>Heures passées par mois :</translation>
    </message>
    <message>
        <source>Tool costs per month:</source>
        <translation>Coût des outils par mois :</translation>
    </message>
    <message>
        <source>Other costs per month:</source>
        <translation>Autres coûts par mois :</translation>
    </message>
    <message>
        <source>Value per replied mention:</source>
        <translation>Valeur par mention répondue :</translation>
    </message>
    <message>
        <source>Value per positive mention:</source>
        <translation>Valeur par mention positive :</translation>
    </message>
    <message>
        <source>Value per lead:</source>
        <translation>Valeur par prospect :</translation>
    </message>
    <message>
        <source>Tag that marks a lead:</source>
        <translation>Étiquette qui marque un prospect :</translation>
    </message>
    <message>
        <source>CPM (value per 1,000 reach):</source>
        <translation>CPM (valeur pour 1 000 de portée) :</translation>
    </message>
    <message>
        <source>Language of the monthly summary:</source>
        <translation>Langue du bilan mensuel :</translation>
    </message>
    <message>
        <source>Top mentions listed in the summary:</source>
        <translation>Mentions principales listées dans le bilan :</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source> items</source>
        <translation> articles</translation>
    </message>
    <message>
        <source>System settings (e.g. http://proxy:3128)</source>
        <translation>Réglages du système (ex. http://proxy:3128)</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message>
        <source>The first brand watch term</source>
        <translation>Le premier terme de veille de type marque</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Non renseigné</translation>
    </message>
    <message>
        <source>Terms that notify:</source>
        <translation>Termes qui déclenchent une notification :</translation>
    </message>
    <message>
        <source>System follows the language of your computer.</source>
        <translation>Système : la langue de votre ordinateur.</translation>
    </message>
    <message>
        <source>How many feeds are fetched at the same time, all sites together.</source>
        <translation>Nombre de flux téléchargés en même temps, tous sites confondus.</translation>
    </message>
    <message>
        <source>Older items beyond this number are deleted at refresh (feeds with their own retention keep theirs).</source>
        <translation>Au-delà de ce nombre, les articles les plus anciens sont supprimés à l’actualisation (les flux qui ont leur propre durée de conservation la gardent).</translation>
    </message>
    <message>
        <source>An http://, https:// or socks5:// URL. Empty: the system&apos;s proxy settings.</source>
        <translation>Une URL http://, https:// ou socks5://. Vide : les réglages de proxy du système.</translation>
    </message>
    <message>
        <source>Optional advertising-value estimate: reach / 1,000 × CPM.</source>
        <translation>Estimation facultative de la valeur publicitaire : portée / 1 000 × CPM.</translation>
    </message>
    <message>
        <source>Mentions carrying this tag are counted as leads.</source>
        <translation>Les mentions portant cette étiquette sont comptées comme prospects.</translation>
    </message>
    <message>
        <source>%1 (%2 mentions)</source>
        <translation>%1 (%2 mentions)</translation>
    </message>
    <message>
        <source>“%1” is not a valid value for %2</source>
        <translation>« %1 » n’est pas une valeur valide pour %2</translation>
    </message>
</context>
<context>
    <name>StatsArea</name>
    <message>
        <source>Computing…</source>
        <translation>Calcul en cours…</translation>
    </message>
    <message>
        <source>Statistics could not be computed: %1</source>
        <translation>Impossible de calculer les statistiques : %1</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>compared with %1</source>
        <translation>comparé à %1</translation>
    </message>
    <message>
        <source>Mentions</source>
        <translation>Mentions</translation>
    </message>
    <message>
        <source>Share of voice</source>
        <translation>Part de voix</translation>
    </message>
    <message>
        <source>Net sentiment</source>
        <translation>Sentiment net</translation>
    </message>
    <message>
        <source>Response rate</source>
        <translation>Taux de réponse</translation>
    </message>
    <message>
        <source>Median response time</source>
        <translation>Temps de réponse médian</translation>
    </message>
    <message>
        <source>Backlog</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Previous period: %1</source>
        <translation>Période précédente : %1</translation>
    </message>
    <message>
        <source>Spikes: %1</source>
        <translation>Pics : %1</translation>
    </message>
    <message>
        <source>Brand: %1 of brand + competitor mentions</source>
        <translation>Marque : %1 des mentions marque + concurrents</translation>
    </message>
    <message>
        <source>Positive: %1 · Negative: %2</source>
        <translation>Positives : %1 · Négatives : %2</translation>
    </message>
    <message>
        <source>Sources: %1</source>
        <translation>Sources : %1</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>Période :</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Ce mois-ci</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>Mois dernier</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>Période personnalisée</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Recharger</translation>
    </message>
    <message>
        <source>Reload statistics</source>
        <translation>Recharger les statistiques</translation>
    </message>
    <message>
        <source>Compute the statistics again (Ctrl+R)</source>
        <translation>Recalculer les statistiques (Ctrl+R)</translation>
    </message>
    <message>
        <source>Mentions per day</source>
        <translation>Mentions par jour</translation>
    </message>
    <message>
        <source>Sentiment over time</source>
        <translation>Évolution du sentiment</translation>
    </message>
    <message>
        <source>Top sources</source>
        <translation>Principales sources</translation>
    </message>
</context>
<context>
    <name>StatsCharts</name>
    <message>
        <source>No mentions in this period</source>
        <translation>Aucune mention sur cette période</translation>
    </message>
    <message>
        <source>All mentions</source>
        <translation>Toutes les mentions</translation>
    </message>
    <message>
        <source>Mentions: %1</source>
        <translation>Mentions : %1</translation>
    </message>
    <message>
        <source>spike (usually %1 a day)</source>
        <translation>pic (d’habitude %1 par jour)</translation>
    </message>
    <message>
        <source>No brand or competitor mentions</source>
        <translation>Aucune mention de la marque ou des concurrents</translation>
    </message>
    <message>
        <source>brand</source>
        <translation>marque</translation>
    </message>
    <message>
        <source>competitor</source>
        <translation>concurrent</translation>
    </message>
    <message>
        <source>Share: %1</source>
        <translation>Part : %1</translation>
    </message>
    <message>
        <source>Positive</source>
        <translation>Positif</translation>
    </message>
    <message>
        <source>Neutral</source>
        <translation>Neutre</translation>
    </message>
    <message>
        <source>Negative</source>
        <translation>Négatif</translation>
    </message>
    <message>
        <source>No sources</source>
        <translation>Aucune source</translation>
    </message>
    <message>
        <source>Reach: %1</source>
        <translation>Portée : %1</translation>
    </message>
</context>
<context>
    <name>StatsFormat</name>
    <message>
        <source>n/a</source>
        <translation>n.d.</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h %2</source>
        <translation>%1 h %2</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 j %2 h</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 j</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>no change</source>
        <translation>stable</translation>
    </message>
    <message>
        <source>%1 pts</source>
        <translation>%1 pts</translation>
    </message>
</context>
<context>
    <name>TrayNotifier</name>
    <message>
        <source>Spike: %1</source>
        <translation>Pic : %1</translation>
    </message>
    <message>
        <source>Mentions of %1 today: %2 (usually about %3 a day)</source>
        <translation>Mentions de %1 aujourd’hui : %2 (d’habitude environ %3 par jour)</translation>
    </message>
    <message>
        <source>New mentions: %1</source>
        <translation>Nouvelles mentions : %1</translation>
    </message>
    <message>
        <source>New mentions of %1: %2</source>
        <translation>Nouvelles mentions de %1 : %2</translation>
    </message>
    <message>
        <source>Show cmdesk</source>
        <translation>Afficher cmdesk</translation>
    </message>
    <message>
        <source>cmdesk: %1 notifications</source>
        <translation>cmdesk : %1 notifications</translation>
    </message>
</context>
<context>
    <name>Veille</name>
    <message>
        <source>Network error</source>
        <translation>Erreur réseau</translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation>Délai dépassé</translation>
    </message>
    <message>
        <source>HTTP error</source>
        <translation>Erreur HTTP</translation>
    </message>
    <message>
        <source>Too many redirects</source>
        <translation>Trop de redirections</translation>
    </message>
    <message>
        <source>Unsupported address</source>
        <translation>Adresse non prise en charge</translation>
    </message>
    <message>
        <source>Feed too large</source>
        <translation>Flux trop volumineux</translation>
    </message>
    <message>
        <source>Not a feed</source>
        <translation>Ce n’est pas un flux</translation>
    </message>
    <message>
        <source>Malformed feed</source>
        <translation>Flux mal formé</translation>
    </message>
    <message>
        <source>Login refused or needed</source>
        <translation>Identifiants refusés ou requis</translation>
    </message>
    <message>
        <source>Password unavailable</source>
        <translation>Mot de passe indisponible</translation>
    </message>
    <message>
        <source>Internal error</source>
        <translation>Erreur interne</translation>
    </message>
    <message>
        <source>Gone for good (HTTP 410)</source>
        <translation>Supprimé définitivement (HTTP 410)</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <source>All items</source>
        <translation>Tous les articles</translation>
    </message>
    <message>
        <source>Starred</source>
        <translation>Favoris</translation>
    </message>
    <message>
        <source>{title}: {unread} unread of {total}</source>
        <translation>{title} : {unread} non lu(s) sur {total}</translation>
    </message>
    <message>
        <source>Error: {what}</source>
        <translation>Erreur : {what}</translation>
    </message>
    <message>
        <source>Failed {n} time(s) in a row</source>
        <translation>En échec {n} fois de suite</translation>
    </message>
    <message>
        <source>Disabled: {why}</source>
        <translation>Désactivé : {why}</translation>
    </message>
    <message>
        <source>Last fetched {when}</source>
        <translation>Dernier téléchargement {when}</translation>
    </message>
    <message>
        <source>Not fetched yet</source>
        <translation>Pas encore téléchargé</translation>
    </message>
    <message>
        <source>{unread} unread of {total}</source>
        <translation>{unread} non lu(s) sur {total}</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Feed</source>
        <translation>Flux</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>(no title)</source>
        <translation>(sans titre)</translation>
    </message>
</context>
<context>
    <name>VeilleArea</name>
    <message>
        <source>Link not opened (only http, https and mailto): {url}</source>
        <translation>Lien non ouvert (seuls http, https et mailto le sont) : {url}</translation>
    </message>
    <message>
        <source>Search (Ctrl+F) — words, &quot;phrases&quot;, prefix*</source>
        <translation>Rechercher (Ctrl+F) — mots, « expressions », préfixe*</translation>
    </message>
    <message>
        <source>Unread only</source>
        <translation>Non lus seulement</translation>
    </message>
    <message>
        <source>Show only unread items</source>
        <translation>N’afficher que les articles non lus</translation>
    </message>
    <message>
        <source>Mark all read</source>
        <translation>Tout marquer comme lu</translation>
    </message>
    <message>
        <source>Mark every item of the selected feed or folder read (Shift+M)</source>
        <translation>Marquer comme lus tous les articles du flux ou du dossier sélectionné (Maj+M)</translation>
    </message>
    <message>
        <source>Next unread item</source>
        <translation>Article non lu suivant</translation>
    </message>
    <message>
        <source>Scroll, then next unread</source>
        <translation>Défiler, puis article non lu suivant</translation>
    </message>
    <message>
        <source>Toggle read</source>
        <translation>Lu / non lu</translation>
    </message>
    <message>
        <source>Star / unstar</source>
        <translation>Ajouter aux / retirer des favoris</translation>
    </message>
    <message>
        <source>Open in browser</source>
        <translation>Ouvrir dans le navigateur</translation>
    </message>
    <message>
        <source>Mark all read in feed/folder</source>
        <translation>Tout marquer comme lu dans le flux ou le dossier</translation>
    </message>
    <message>
        <source>Search items</source>
        <translation>Rechercher des articles</translation>
    </message>
    <message>
        <source>Unread items only</source>
        <translation>Articles non lus seulement</translation>
    </message>
    <message>
        <source>Load images of this item</source>
        <translation>Charger les images de cet article</translation>
    </message>
    <message>
        <source>Add feed…</source>
        <translation>Ajouter un flux…</translation>
    </message>
    <message>
        <source>Feed properties…</source>
        <translation>Propriétés du flux…</translation>
    </message>
    <message>
        <source>Feed health…</source>
        <translation>État des flux…</translation>
    </message>
    <message>
        <source>Search in {where}</source>
        <translation>Rechercher dans {where}</translation>
    </message>
    <message>
        <source>No item matches this search.</source>
        <translation>Aucun article ne correspond à cette recherche.</translation>
    </message>
    <message>
        <source>No unread items here.</source>
        <translation>Aucun article non lu ici.</translation>
    </message>
    <message>
        <source>No feeds yet. Add one with File ▸ Add feed… or import an OPML file.</source>
        <translation>Aucun flux pour l’instant. Ajoutez-en un avec Fichier ▸ Ajouter un flux… ou importez un fichier OPML.</translation>
    </message>
    <message>
        <source>No items here yet.</source>
        <translation>Aucun article ici pour l’instant.</translation>
    </message>
    <message>
        <source>This item&apos;s address is not a web link: not opened.</source>
        <translation>L’adresse de cet article n’est pas un lien web : elle n’a pas été ouverte.</translation>
    </message>
    <message>
        <source>No more unread items.</source>
        <translation>Plus d’articles non lus.</translation>
    </message>
    <message>
        <source>Mark every item of every feed read?</source>
        <translation>Marquer comme lus tous les articles de tous les flux ?</translation>
    </message>
    <message>
        <source>{n} item(s) marked read.</source>
        <translation>{n} article(s) marqué(s) comme lu(s).</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Activer</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Désactiver</translation>
    </message>
    <message>
        <source>Open site in browser</source>
        <translation>Ouvrir le site dans le navigateur</translation>
    </message>
    <message>
        <source>Unsubscribe…</source>
        <translation>Se désabonner…</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>Copier le lien</translation>
    </message>
    <message>
        <source>Unsubscribe</source>
        <translation>Se désabonner</translation>
    </message>
    <message>
        <source>Unsubscribe from “{title}”? Its stored items are deleted; starred items and mentions too.</source>
        <translation>Se désabonner de « {title} » ? Ses articles enregistrés sont supprimés, y compris les favoris et les mentions.</translation>
    </message>
    <message>
        <source>Import OPML</source>
        <translation>Importer un fichier OPML</translation>
    </message>
    <message>
        <source>OPML files (*.opml *.xml);;All files (*)</source>
        <translation>Fichiers OPML (*.opml *.xml);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Cannot read {path}: {why}</source>
        <translation>Impossible de lire {path} : {why}</translation>
    </message>
    <message>
        <source>Importing {name}…</source>
        <translation>Import de {name}…</translation>
    </message>
    <message>
        <source>The file could not be imported: {why}</source>
        <translation>Impossible d’importer le fichier : {why}</translation>
    </message>
    <message>
        <source>Export OPML</source>
        <translation>Exporter en OPML</translation>
    </message>
    <message>
        <source>OPML files (*.opml)</source>
        <translation>Fichiers OPML (*.opml)</translation>
    </message>
    <message>
        <source>Cannot write {path}: {why}</source>
        <translation>Impossible d’écrire {path} : {why}</translation>
    </message>
    <message>
        <source>{n} feed(s) exported to {path}.</source>
        <translation>{n} flux exporté(s) dans {path}.</translation>
    </message>
</context>
<context>
    <name>WatchTermsDialog</name>
    <message>
        <source>Watch terms</source>
        <translation>Termes de veille</translation>
    </message>
    <message>
        <source>New term</source>
        <translation>Nouveau terme</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Acme</source>
        <translation>Acme</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>Marque</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produit</translation>
    </message>
    <message>
        <source>Competitor</source>
        <translation>Concurrent</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Personne</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Sujet</translation>
    </message>
    <message>
        <source>Words, &quot;exact phrases&quot;, OR, -exclusion, (groups), lang:fr, site:example.com, title:word</source>
        <translation>Mots, &quot;expressions exactes&quot;, OR, -exclusion, (groupes), lang:fr, site:example.com, title:mot</translation>
    </message>
    <message>
        <source>Active (match new items)</source>
        <translation>Actif (analyse les nouveaux articles)</translation>
    </message>
    <message>
        <source>Notify me of new mentions (tray)</source>
        <translation>M’avertir des nouvelles mentions (zone de notification)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>Requête</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Couleur</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>(paused)</source>
        <translation>(en pause)</translation>
    </message>
    <message>
        <source>Term colour</source>
        <translation>Couleur du terme</translation>
    </message>
    <message>
        <source>Type a query to see what it matches.</source>
        <translation>Saisissez une requête pour voir ce qu’elle trouve.</translation>
    </message>
    <message>
        <source>Syntax error at position %1: expected %2</source>
        <translation>Erreur de syntaxe à la position %1 : %2 attendu</translation>
    </message>
    <message>
        <source>Looking for matches…</source>
        <translation>Recherche des correspondances…</translation>
    </message>
    <message>
        <source>A watch term needs a name.</source>
        <translation>Un terme de veille doit avoir un nom.</translation>
    </message>
    <message>
        <source>Saving and scanning the stored items…</source>
        <translation>Enregistrement et analyse des articles enregistrés…</translation>
    </message>
    <message>
        <source>Delete watch term</source>
        <translation>Supprimer le terme de veille</translation>
    </message>
    <message>
        <source>Delete %1? Mentions only it matched go too, unless you worked on them.</source>
        <translation>Supprimer %1 ? Les mentions trouvées par ce seul terme sont supprimées aussi, sauf celles que vous avez traitées.</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation>(sans titre)</translation>
    </message>
    <message>
        <source>At least %1 stored items match (newest shown)</source>
        <translation>Au moins %1 articles enregistrés correspondent (les plus récents sont affichés)</translation>
    </message>
    <message>
        <source>%1 stored item(s) match</source>
        <translation>%1 article(s) enregistré(s) correspondent</translation>
    </message>
    <message>
        <source>Saved. %1 stored item(s) match: %2 new mention(s)</source>
        <translation>Enregistré. %1 article(s) enregistré(s) correspondent : %2 nouvelle(s) mention(s)</translation>
    </message>
    <message>
        <source>, %1 removed</source>
        <translation>, %1 retirée(s)</translation>
    </message>
    <message>
        <source>Preview failed: %1</source>
        <translation>Échec de l’aperçu : %1</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Non enregistré : %1</translation>
    </message>
</context>
<context>
    <name>_BrandPage</name>
    <message>
        <source>Your brand</source>
        <translation>Votre marque</translation>
    </message>
    <message>
        <source>The name people use when they talk about you, and your main competitors.</source>
        <translation>Le nom qu’on utilise quand on parle de vous, et vos principaux concurrents.</translation>
    </message>
    <message>
        <source>Brand name:</source>
        <translation>Nom de la marque :</translation>
    </message>
    <message>
        <source>e.g. Acme Corp</source>
        <translation>ex. Acme Corp</translation>
    </message>
    <message>
        <source>Competitors:</source>
        <translation>Concurrents :</translation>
    </message>
    <message>
        <source>One per line, or separated by commas</source>
        <translation>Un par ligne, ou séparés par des virgules</translation>
    </message>
</context>
<context>
    <name>_LanguagePage</name>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Which languages do your audience and your press write in?</source>
        <translation>Dans quelles langues écrivent votre public et la presse qui parle de vous ?</translation>
    </message>
    <message>
        <source>French</source>
        <translation>Français</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Anglais</translation>
    </message>
    <message>
        <source>French and English</source>
        <translation>Français et anglais</translation>
    </message>
    <message>
        <source>Keep only mentions written in these languages</source>
        <translation>Ne garder que les mentions écrites dans ces langues</translation>
    </message>
    <message>
        <source>Adds a lang: filter to each watch term. Useful when your brand name is also a common word in other languages.</source>
        <translation>Ajoute un filtre lang: à chaque terme de veille. Utile quand le nom de votre marque est aussi un mot courant dans d’autres langues.</translation>
    </message>
</context>
<context>
    <name>_RecipesPage</name>
    <message>
        <source>Starter monitoring feeds</source>
        <translation>Flux de surveillance pour démarrer</translation>
    </message>
    <message>
        <source>cmdesk turns your terms into search feeds of these services. You can add or remove feeds at any time in Veille.</source>
        <translation>cmdesk transforme vos termes en flux de recherche de ces services. Vous pouvez ajouter ou retirer des flux à tout moment dans Veille.</translation>
    </message>
    <message>
        <source>Search in</source>
        <translation>Rechercher dans</translation>
    </message>
    <message>
        <source>Google News (in the chosen languages)</source>
        <translation>Google Actualités (dans les langues choisies)</translation>
    </message>
    <message>
        <source>Reddit</source>
        <translation>Reddit</translation>
    </message>
    <message>
        <source>Hacker News</source>
        <translation>Hacker News</translation>
    </message>
    <message>
        <source>Mastodon hashtag</source>
        <translation>Hashtag Mastodon</translation>
    </message>
    <message>
        <source>Instance:</source>
        <translation>Instance :</translation>
    </message>
    <message>
        <source>Also subscribe to these searches for competitors</source>
        <translation>S’abonner aussi à ces recherches pour les concurrents</translation>
    </message>
    <message>
        <source>The feeds are read at the next refresh.</source>
        <translation>Les flux seront lus à la prochaine actualisation.</translation>
    </message>
</context>
<context>
    <name>_TermsPage</name>
    <message>
        <source>Watch terms</source>
        <translation>Termes de veille</translation>
    </message>
    <message>
        <source>Each term is a search query matched against every new item. Untick a term to leave it out; edit a query to refine it.</source>
        <translation>Chaque terme est une requête comparée à chaque nouvel article. Décochez un terme pour l’écarter ; modifiez une requête pour l’affiner.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>Requête</translation>
    </message>
    <message>
        <source>Syntax: &quot;several words&quot; for a phrase, OR between alternatives, -word to exclude, lang:fr for a language.</source>
        <translation>Syntaxe : &quot;plusieurs mots&quot; pour une expression, OR entre des variantes, -mot pour exclure, lang:fr pour une langue.</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>Marque</translation>
    </message>
    <message>
        <source>Competitor</source>
        <translation>Concurrent</translation>
    </message>
    <message>
        <source>The query of “%1” is not valid: %2</source>
        <translation>La requête de « %1 » n’est pas valide : %2</translation>
    </message>
</context>
</TS>
