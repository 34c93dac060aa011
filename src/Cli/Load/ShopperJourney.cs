namespace SessionInsights.Cli.Load;

internal enum Persona
{
    Browser,
    Buyer,
    Abandoner,
    Frustrated,
}

/// <summary>
/// One simulated shopper walking the shop page by page: each step is a user action that yields one
/// or more events (a click, the custom event the shop sends for it, the next page view). Personas
/// tilt the choices so that the default pattern rules (abandonment, price rage clicks…) fire for
/// some users and not for others. All randomness comes from the caller's <see cref="Random"/>.
/// </summary>
internal sealed class ShopperJourney
{
    private readonly Queue<(string SessionId, EventSpec Event)> _pending = new();
    private readonly string[] _sessionIds;
    private int _session;
    private bool _inSession;
    private int _stepsLeft;
    private string _path = "/";
    private ShopProduct _product = ShopCatalog.Products[0];
    private int _cartItems;

    public ShopperJourney(Persona persona, string[] sessionIds)
    {
        Persona = persona;
        _sessionIds = sessionIds;
    }

    public Persona Persona { get; }

    /// <summary>The next event and the session it belongs to.</summary>
    public (string SessionId, EventSpec Event) Next(Random random)
    {
        if (_pending.Count == 0)
        {
            if (!_inSession)
            {
                StartSession(random);
            }
            else if (_stepsLeft <= 0)
            {
                EndSession();
            }
            else
            {
                Step(random);
            }
        }
        return _pending.Dequeue();
    }

    private void StartSession(Random random)
    {
        _inSession = true;
        _stepsLeft = random.Next(8, 40);
        _cartItems = 0;
        _product = Pick(random, ShopCatalog.Products);
        // Most visits land on the home page; some come from ads or search straight to a product.
        _path = random.Next(10) switch
        {
            < 6 => "/",
            < 8 => "/products",
            _ => _product.PagePath,
        };
        View(_path);
    }

    private void EndSession()
    {
        Enqueue(new EventSpec("$pageleave", _path));
        _inSession = false;
        _session = (_session + 1) % _sessionIds.Length;
    }

    private void Step(Random random)
    {
        _stepsLeft--;
        switch (_path)
        {
            case "/":
                Home(random);
                break;
            case "/products":
                Listing(random);
                break;
            case "/cart":
                Cart(random);
                break;
            case "/checkout":
                Checkout(random);
                break;
            case "/order-confirmation" or "/about":
                Click(ElementsChains.NavButton("Shop", "home", 1), "Shop");
                View("/products");
                break;
            default:
                ProductPage(random);
                break;
        }
    }

    private void Home(Random random) => Choose(random,
        (5, () =>
        {
            Click(ElementsChains.NavButton("Shop", "home", 1), "Shop");
            View("/products");
        }),
        (3, () =>
        {
            Click(ElementsChains.HeroButton("Shop Now"), "Shop Now");
            View("/products");
        }),
        (1, () =>
        {
            Click(ElementsChains.NavButton("About", "about", 2), "About");
            View("/about");
        }),
        (1, () => Dead(ElementsChains.Logo(), "SkyTech Drones")));

    private void Listing(Random random)
    {
        var position = random.Next(1, ShopCatalog.Products.Count + 1);
        var product = ShopCatalog.Products[position - 1];
        var available = $"{ShopCatalog.Products.Count} products available";
        Choose(random,
            (15, () =>
            {
                var index = random.Next(ShopCatalog.Categories.Count);
                var category = ShopCatalog.Categories[index];
                Click(ElementsChains.CategoryFilter(category, index + 1), category);
                Emit("filter_changed", ("filter_type", "category"), ("filter_value", category));
            }),
            (50, () =>
            {
                _product = product;
                Click(random.Next(3) == 0 ? ElementsChains.ProductImage(product, position) : ElementsChains.ProductCard(product, position), product.Name);
                Emit("product_clicked", ("product_name", product.Name), ("product_id", product.Id), ("price", product.Price), ("category", product.Category));
                View(product.PagePath);
            }),
            (8, () =>
            {
                Click(ElementsChains.FavoriteIcon(product, position), null);
                Emit("toggle_favorite", ("product_name", product.Name), ("is_favorite", random.Next(2) == 0));
            }),
            (Persona == Persona.Frustrated ? 15 : 3, () => Rage(ElementsChains.Price(product), product.PriceText)),
            (4, () => Dead(ElementsChains.DeadText(available), available)),
            (_cartItems > 0 ? 15 : 0, () =>
            {
                Click(ElementsChains.CartIcon(_cartItems), _cartItems.ToString(System.Globalization.CultureInfo.InvariantCulture));
                View("/cart");
            }));
    }

    private void ProductPage(Random random)
    {
        var p = _product;
        Choose(random,
            (Persona switch { Persona.Buyer => 40, Persona.Abandoner => 35, _ => 15 }, () =>
            {
                Click(ElementsChains.AddToCart(p), "Add to Cart");
                _cartItems++;
                Emit("item_added_to_cart", ("product_name", p.Name), ("product_id", p.Id), ("price", p.Price), ("quantity", 1));
            }),
            (Persona == Persona.Frustrated ? 20 : 3, () => Rage(ElementsChains.Price(p), p.PriceText)),
            (10, () => Click(ElementsChains.ProductImage(p, 1), p.Name)),
            (4, () => Click(ElementsChains.ActionButton("Watch Demo", "watch-demo"), "Watch Demo")),
            (_cartItems > 0 ? 20 : 0, () =>
            {
                Click(ElementsChains.ActionButton("View Cart", "view-cart"), "View Cart");
                View("/cart");
            }),
            (25, () =>
            {
                Click(ElementsChains.NavButton("Shop", "home", 1), "Shop");
                View("/products");
            }));
    }

    private void Cart(Random random)
    {
        var p = _product;
        Choose(random,
            (Persona switch { Persona.Buyer => 50, Persona.Abandoner => 40, _ => 15 }, () =>
            {
                Click(ElementsChains.ActionButton("Checkout", "checkout"), "Checkout");
                View("/checkout");
            }),
            (20, () =>
            {
                Click(ElementsChains.QuantityButton("+", p), "+");
                Emit("update_cart_quantity", ("product_name", p.Name), ("quantity", random.Next(2, 5)));
            }),
            (Persona == Persona.Frustrated ? 8 : 0, () => Rage(ElementsChains.QuantityButton("+", p), "+")),
            (_cartItems > 0 ? 8 : 0, () =>
            {
                Click(ElementsChains.ActionButton("Remove", "remove-from-cart", "text-sm text-red-600 hover:underline"), "Remove");
                _cartItems--;
                Emit("remove_from_cart", ("product_name", p.Name), ("product_id", p.Id));
            }),
            (20, () =>
            {
                Click(ElementsChains.ActionButton("Continue Shopping", "continue-shopping", "px-4 py-3 border border-gray-300 rounded-lg"), "Continue Shopping");
                View("/products");
            }));
    }

    private void Checkout(Random random) => Choose(random,
        (Persona switch { Persona.Buyer => 8, Persona.Abandoner => 0, _ => 4 }, () =>
        {
            var items = Math.Max(1, _cartItems);
            Click(ElementsChains.PlaceOrder(), "Place Order", domEventType: "submit");
            Emit("order_completed", ("order_id", $"ord-{random.Next(100_000, 999_999)}"), ("total", _product.Price * items), ("items", items));
            _cartItems = 0;
            View("/order-confirmation");
        }),
        (Persona == Persona.Frustrated ? 3 : 0, () => Rage(ElementsChains.ActionButton("Checkout", "checkout"), "Checkout")),
        // Walks away from the checkout: the session ends here.
        (4, EndSession));

    private void View(string path)
    {
        _path = path;
        Enqueue(new EventSpec("$pageview", path));
    }

    private void Click(string chain, string? text, string domEventType = "click") =>
        Enqueue(new EventSpec("$autocapture", _path, chain, domEventType, text));

    private void Rage(string chain, string text) => Enqueue(new EventSpec("$rageclick", _path, chain, "click", text));

    private void Dead(string chain, string text) => Enqueue(new EventSpec("$dead_click", _path, chain, "click", text));

    private void Emit(string name, params (string Key, object Value)[] properties) =>
        Enqueue(new EventSpec(name, _path, Properties: [.. properties.Select(p => KeyValuePair.Create(p.Key, p.Value))]));

    private void Enqueue(EventSpec e) => _pending.Enqueue((_sessionIds[_session], e));

    /// <summary>Runs one of the actions, chosen with probability proportional to its weight (0 = never).</summary>
    private static void Choose(Random random, params (int Weight, Action Act)[] actions)
    {
        var roll = random.Next(actions.Sum(a => a.Weight));
        foreach (var (weight, act) in actions)
        {
            if (roll < weight)
            {
                act();
                return;
            }
            roll -= weight;
        }
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
