"""The reader pane: one item's header, actions and sanitized content."""

from __future__ import annotations

import html
import time

from PySide6.QtCore import QUrl, Signal, Qt
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTextBrowser, QToolButton, QVBoxLayout, QWidget

from cmdesk.core.models import Item
from cmdesk.ui.veille.models import display_title
from cmdesk.ui.veille.sanitize import sanitize_html
from cmdesk.ui.widgets.links import open_external_link

__all__ = ["ReaderView", "ItemBrowser"]

MAX_IMAGES = 30
MAX_IMAGE_BYTES = 5 * 1024 * 1024


class ItemBrowser(QTextBrowser):
    """A QTextBrowser that never navigates itself and never fetches anything.

    Links go through the link policy (system browser, http/https/mailto only);
    images are only those the view put in the document's resources.
    """

    linkRefused = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self.opened: list[str] = []  # what was handed to the system (tests read it)

    def _on_anchor(self, url: QUrl) -> None:
        if open_external_link(url):
            self.opened.append(url.toString())
        else:
            self.linkRefused.emit(url.toString())

    def loadResource(self, kind, url):  # noqa: N802 - Qt override
        # Only resources already added to the document (images the user allowed) are shown.
        return None


class ReaderView(QWidget):
    """Header (title, feed, author, date), action buttons and the content."""

    toggleStarRequested = Signal()
    toggleReadRequested = Signal()
    openRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.item: Item | None = None
        self.feed_title = ""
        self._load_images = False
        self._image_urls: tuple[str, ...] = ()
        self._replies: list[QNetworkReply] = []
        self._nam: QNetworkAccessManager | None = None

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setOpenExternalLinks(False)
        self.title.linkActivated.connect(lambda _: self.openRequested.emit())
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.35)
        f.setBold(True)
        self.title.setFont(f)
        self.meta = QLabel()
        self.meta.setWordWrap(True)
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.star_button = QToolButton()
        self.star_button.setCheckable(True)
        self.star_button.clicked.connect(self.toggleStarRequested)
        self.read_button = QToolButton()
        self.read_button.clicked.connect(self.toggleReadRequested)
        self.open_button = QToolButton()
        self.open_button.clicked.connect(self.openRequested)
        self.images_button = QToolButton()
        self.images_button.clicked.connect(self.load_images)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for b in (self.open_button, self.star_button, self.read_button, self.images_button):
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            b.setAutoRaise(True)
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.browser = ItemBrowser()
        self.browser.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.browser.document().setDocumentMargin(12)

        self.header = QWidget()
        header_layout = QVBoxLayout(self.header)
        header_layout.setContentsMargins(12, 10, 12, 4)
        header_layout.addWidget(self.title)
        header_layout.addWidget(self.meta)
        header_layout.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.browser, 1)
        self.retranslate()
        self.show_item(None)

    def retranslate(self) -> None:
        self.open_button.setText(self.tr("Open in browser"))
        self.open_button.setToolTip(self.tr("Open the item's page in the system browser (O or Enter)"))
        self.read_button.setToolTip(self.tr("Toggle read / unread (M)"))
        self.star_button.setToolTip(self.tr("Star or unstar (S)"))
        self.images_button.setText(self.tr("Load images"))
        self.images_button.setToolTip(self.tr("Remote images are not loaded unless you ask: loading them tells"
                                              " the sender you read this item"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        it = self.item
        self.star_button.setText(self.tr("Unstar") if it and it.starred else self.tr("Star"))
        self.star_button.setChecked(bool(it and it.starred))
        self.read_button.setText(self.tr("Mark unread") if it and it.read else self.tr("Mark read"))
        self.images_button.setVisible(bool(self._image_urls) and not self._load_images)
        for b in (self.open_button, self.star_button, self.read_button):
            b.setEnabled(it is not None)
        self.open_button.setEnabled(bool(it and it.url))

    # -- showing ---------------------------------------------------------------
    def show_item(self, item: Item | None, *, feed_title: str = "", load_images: bool = False) -> None:
        self._abort_images()
        same = item is not None and self.item is not None and item.id == self.item.id
        self.item = item
        self.feed_title = feed_title
        if item is None:
            self.header.setVisible(False)
            self.browser.setHtml("<p style='color:gray'>" + html.escape(self.tr("Select an item to read it.")) + "</p>")
            self._image_urls = ()
            self._update_buttons()
            return
        self.header.setVisible(True)
        title = html.escape(display_title(item) or self.tr("(no title)"))
        if item.url:
            self.title.setText(f'<a href="#open" style="text-decoration:none">{title}</a>')
            self.title.setToolTip(item.url)
        else:
            self.title.setText(title)
        bits = [feed_title] if feed_title else []
        if item.author:
            bits.append(self.tr("by {author}").format(author=item.author))
        ts = item.published_at or item.fetched_at
        if ts:
            bits.append(time.strftime("%Y-%m-%d %H:%M", time.localtime(ts)))
        self.meta.setText(" · ".join(bits))
        if not same:
            self._load_images = load_images
        self._render()

    def update_flags(self, item: Item) -> None:
        """Read/starred changed: update the buttons, keep the content and scroll position."""
        if self.item is not None and item.id == self.item.id:
            self.item = item
            self._update_buttons()

    def _render(self) -> None:
        item = self.item
        assert item is not None
        body = item.content or item.summary or ""
        if "<" not in body:  # plain text: keep its paragraphs
            body = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n") if p.strip())
        clean = sanitize_html(body, base_url=item.url, load_images=self._load_images)
        self._image_urls = clean.image_urls
        scroll = self.browser.verticalScrollBar().value()
        doc = self.browser.document()
        doc.setDefaultStyleSheet(
            "img { max-width: 100%; } .blocked-image { color: gray; } pre { white-space: pre-wrap; }"
            " blockquote { margin-left: 12px; color: #555; }")
        self.browser.setHtml(clean.html or "<p style='color:gray'>" + html.escape(
            self.tr("This item has no content; open it in the browser to read it.")) + "</p>")
        self.browser.verticalScrollBar().setValue(scroll if self._load_images else 0)
        self._update_buttons()
        if self._load_images and self._image_urls:
            self._fetch_images()

    # -- images (only on request) -------------------------------------------------
    def load_images(self) -> None:
        if self.item is None or self._load_images:
            return
        self._load_images = True
        self._render()

    @property
    def images_loaded(self) -> bool:
        return self._load_images

    def _fetch_images(self) -> None:
        if self._nam is None:
            self._nam = QNetworkAccessManager(self)
        item_id = self.item.id if self.item else None
        for url in self._image_urls[:MAX_IMAGES]:
            req = QNetworkRequest(QUrl(url))
            req.setAttribute(QNetworkRequest.Attribute.RedirectPolicyAttribute,
                             QNetworkRequest.RedirectPolicy.NoLessSafeRedirectPolicy)
            req.setTransferTimeout(20_000)
            reply = self._nam.get(req)
            reply.setReadBufferSize(MAX_IMAGE_BYTES)
            reply.finished.connect(lambda r=reply, u=url, i=item_id: self._image_arrived(r, u, i))
            self._replies.append(reply)

    def _image_arrived(self, reply: QNetworkReply, url: str, item_id: int | None) -> None:
        if reply in self._replies:
            self._replies.remove(reply)
        try:
            if reply.error() != QNetworkReply.NetworkError.NoError or self.item is None or self.item.id != item_id:
                return
            data = bytes(reply.read(MAX_IMAGE_BYTES))
            image = QImage()
            if not image.loadFromData(data):
                return
            width = max(200, self.browser.viewport().width() - 40)
            if image.width() > width:
                image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            doc = self.browser.document()
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), image)
            # Re-layout so the image takes its place.
            doc.markContentsDirty(0, doc.characterCount())
            self.browser.viewport().update()
        finally:
            reply.deleteLater()

    def _abort_images(self) -> None:
        for r in list(self._replies):
            r.abort()
        self._replies.clear()
